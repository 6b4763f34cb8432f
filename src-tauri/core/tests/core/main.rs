//! Integration tests of rollcall-core on real database files; one module per module of src/.

mod attendance;
mod db;
mod events;
mod organisations;
mod people;
mod projects;
mod sample;
mod support;
mod text;
