//! Integration tests of rollcall-core on real database files; one module per module of src/.

mod attendance;
mod consortium;
mod db;
mod disability;
mod donor;
mod error;
mod events;
mod export;
mod files;
mod gender;
mod import;
mod import_review;
mod open;
mod organisations;
mod people;
mod privacy;
mod projects;
mod reports;
mod safety;
mod sample;
mod support;
mod text;
mod workbook;
mod xlsx;
