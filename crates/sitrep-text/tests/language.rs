//! Language identification: the English fast path and the whatlang model.

use sitrep_core::{Doc, Stage};
use sitrep_text::{plainly_english, LanguageId};

fn language(text: &str) -> Option<String> {
    let mut doc = Doc::new("d", text);
    LanguageId.run(&mut doc);
    doc.language
}

const ENGLISH: &str = "Russia is ready for talks with the West, the defence minister said on \
    Monday, but he accused Washington of dragging the conflict out, according to a statement \
    published by the ministry.";

#[test]
fn english_news_is_english_with_or_without_the_fast_path() {
    assert!(plainly_english(ENGLISH));
    assert_eq!(language(ENGLISH).as_deref(), Some("en"));
    // The model, asked directly, agrees with the fast path.
    let info = whatlang::detect(ENGLISH).unwrap();
    assert_eq!(info.lang(), whatlang::Lang::Eng);
}

#[test]
fn other_languages_are_left_to_the_model() {
    let samples = [
        (
            "fr",
            "Le ministre de la Défense a déclaré lundi que la Russie était prête à des \
             négociations avec l'Occident, mais il a accusé Washington de prolonger le conflit.",
        ),
        (
            "de",
            "Der Verteidigungsminister sagte am Montag, Russland sei zu Gesprächen mit dem Westen \
             bereit, warf Washington aber vor, den Konflikt in die Länge zu ziehen.",
        ),
        (
            "nl",
            "De minister van Defensie zei maandag dat Rusland klaar is voor gesprekken met het \
             Westen, maar hij beschuldigde Washington ervan het conflict te rekken.",
        ),
        (
            "uk",
            "Міністр оборони заявив у понеділок, що Росія готова до переговорів із Заходом, але \
             звинуватив Вашингтон у затягуванні конфлікту.",
        ),
    ];
    for (code, text) in samples {
        assert!(!plainly_english(text), "{code} taken for English");
        assert_eq!(language(text).as_deref(), Some(code), "{text}");
    }
}

#[test]
fn a_few_words_are_not_enough_for_the_fast_path() {
    assert!(!plainly_english("The war"));
    assert!(!plainly_english(""));
}
