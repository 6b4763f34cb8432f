//! Tests of rollcall-cli as a user runs it: the real binary, a real database file, its output and exit codes.

mod basics;
mod consortium;
mod excel;
mod import;
mod reports;
mod safety;
mod support;
