//! Bundles: the encrypted, signed files partners exchange (written in the next step).
