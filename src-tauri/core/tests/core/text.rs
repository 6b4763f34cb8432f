//! Folding for search and matching, checked across scripts.

use rollcall_core::text::{email_key, fold};

#[test]
fn fold_is_case_and_accent_insensitive_in_every_script() {
    let cases = [
        ("Олена", "олена"),
        ("ОЛЕНА КОВАЛЕНКО", "олена коваленко"),
        ("Łukasz Żółć", "lukasz zolc"),
        ("Yevhéniia", "yevheniia"),
        ("Мар’яна", "мар'яна"),
        ("Cristina Țurcanu", "cristina turcanu"),
        ("ნინო ბერიძე", "ნინო ბერიძე"),
        // Georgian Mtavruli capitals fold to the Mkhedruli letters people type.
        ("ᲜᲘᲜᲝ", "ნინო"),
        ("  many   spaces\there ", "many spaces here"),
        ("zero\u{200B}width\u{202E}bidi", "zerowidthbidi"),
        ("Straße", "strasse"),
    ];
    for (input, expected) in cases {
        assert_eq!(fold(input), expected, "fold({input:?})");
    }
}

#[test]
fn email_key_trims_and_lowercases() {
    assert_eq!(email_key(Some("  Olena.K@Example.ORG ")), Some("olena.k@example.org".into()));
    assert_eq!(email_key(Some("   ")), None);
    assert_eq!(email_key(None), None);
}
