//! Merging two records of the same person (written in a later step).
