//! The typed vocabulary shared by the core, its front ends and its SQL: attendance roles and statuses
//! with their rank. Platforms' words for them (in many languages) are read by `import::words`; here
//! are only the values Rollcall stores and the order in which a merge keeps the higher one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A role at an event, in rank order: a merge keeps the highest, so a report never demotes what a
/// coordinator set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Participant,
    Speaker,
    Moderator,
    Organiser,
}

/// An attendance status, in rank order: a merge keeps the highest, so "attended" always wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Registered,
    Cancelled,
    Absent,
    Attended,
}

impl Role {
    /// Every role, lowest rank first.
    pub const ALL: [Role; 4] = [Role::Participant, Role::Speaker, Role::Moderator, Role::Organiser];

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Participant => "participant",
            Role::Speaker => "speaker",
            Role::Moderator => "moderator",
            Role::Organiser => "organiser",
        }
    }

    /// 0 for the lowest role; the same numbers as `Role::sql_rank`.
    pub fn rank(self) -> u8 {
        self as u8
    }

    /// An SQL expression giving the rank of the role stored in `column` (unknown values rank lowest),
    /// written from `ALL` so that SQL and Rust can never disagree about the order.
    pub fn sql_rank(column: &str) -> String {
        sql_rank(column, Role::ALL.iter().map(|r| (r.as_str(), r.rank())))
    }
}

impl Status {
    /// Every status, lowest rank first.
    pub const ALL: [Status; 4] = [Status::Registered, Status::Cancelled, Status::Absent, Status::Attended];

    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Cancelled => "cancelled",
            Status::Absent => "absent",
            Status::Attended => "attended",
        }
    }

    /// 0 for the lowest status; the same numbers as `Status::sql_rank`.
    pub fn rank(self) -> u8 {
        self as u8
    }

    /// An SQL expression giving the rank of the status stored in `column` (unknown values rank lowest).
    pub fn sql_rank(column: &str) -> String {
        sql_rank(column, Status::ALL.iter().map(|s| (s.as_str(), s.rank())))
    }
}

fn sql_rank<'a>(column: &str, ranks: impl Iterator<Item = (&'a str, u8)>) -> String {
    let arms: Vec<String> = ranks.filter(|(_, r)| *r > 0).map(|(name, r)| format!("WHEN '{name}' THEN {r}")).collect();
    format!("(CASE {column} {} ELSE 0 END)", arms.join(" "))
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Role> {
        let v = s.trim().to_ascii_lowercase();
        Role::ALL.into_iter().find(|r| r.as_str() == v).ok_or_else(|| {
            Error::invalid(
                "role",
                format!("role must be one of participant, speaker, moderator, organiser, not '{}'", s.trim()),
            )
        })
    }
}

impl FromStr for Status {
    type Err = Error;
    fn from_str(s: &str) -> Result<Status> {
        let v = s.trim().to_ascii_lowercase();
        Status::ALL.into_iter().find(|r| r.as_str() == v).ok_or_else(|| {
            Error::invalid(
                "status",
                format!("status must be one of registered, attended, absent, cancelled, not '{}'", s.trim()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_are_the_same_in_rust_and_sql() {
        assert!(Role::Organiser > Role::Moderator && Role::Speaker > Role::Participant);
        assert!(Status::Attended > Status::Absent && Status::Cancelled > Status::Registered);
        assert_eq!(
            Role::sql_rank("role"),
            "(CASE role WHEN 'speaker' THEN 1 WHEN 'moderator' THEN 2 WHEN 'organiser' THEN 3 ELSE 0 END)"
        );
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        for s in Status::ALL {
            let sql = format!("SELECT {}", Status::sql_rank(&format!("'{}'", s.as_str())));
            let rank: u8 = conn.query_row(&sql, [], |r| r.get(0)).unwrap();
            assert_eq!(rank, s.rank(), "{s}");
        }
        assert_eq!("Organiser".parse::<Role>().unwrap(), Role::Organiser);
        assert!("boss".parse::<Role>().is_err());
    }
}
