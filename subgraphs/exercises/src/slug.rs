//! Slugs: the stable, URL-safe names exercises are addressed by.

use std::collections::HashSet;

/// The longest slug accepted or generated.
pub const MAX_SLUG_LEN: usize = 140;

/// Lowercase ASCII letters and digits separated by single hyphens, from any name.
/// Accented Latin letters lose their accents; other scripts separate words, so the
/// result may be empty.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut pending_hyphen = false;
    for ch in name.chars() {
        if let Some(ascii) = ascii_letters(ch) {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push_str(ascii);
        } else if !matches!(ch, '\'' | '\u{2019}') {
            // An apostrophe joins rather than separates: "Farmer's" -> "farmers".
            pending_hyphen = true;
        }
    }
    truncate_at_hyphen(slug)
}

/// The lowercase ASCII spelling of a letter or digit, when it has one.
fn ascii_letters(ch: char) -> Option<&'static str> {
    const ASCII: &str = "0123456789abcdefghijklmnopqrstuvwxyz";
    let lower = ch.to_lowercase().next().unwrap_or(ch);
    if let Some(index) = ASCII.find(lower) {
        return Some(&ASCII[index..index + 1]);
    }
    Some(match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

fn truncate_at_hyphen(mut slug: String) -> String {
    if slug.len() > MAX_SLUG_LEN {
        slug.truncate(MAX_SLUG_LEN);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    slug
}

/// Whether `slug` is exactly what `slugify` could produce.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG_LEN
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `base`, or `base-2`, `base-3`, ... : the first one not in `taken`, which it joins.
pub fn unique_slug(base: &str, taken: &mut HashSet<String>) -> String {
    let mut candidate = base.to_owned();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_joins_words_with_single_hyphens() {
        assert_eq!(slugify("3/4 Sit-Up"), "3-4-sit-up");
        assert_eq!(slugify("  Farmer's   Walk!! "), "farmers-walk");
        assert_eq!(slugify("Crème brûlée curl"), "creme-brulee-curl");
        assert_eq!(slugify("Жим лёжа"), "");
        assert_eq!(slugify("???"), "");
    }

    #[test]
    fn valid_slugs_are_lowercase_words_and_hyphens() {
        assert!(is_valid_slug("goblet-squat-2"));
        for bad in [
            "",
            "-squat",
            "squat-",
            "goblet--squat",
            "Goblet-Squat",
            "goblet squat",
        ] {
            assert!(!is_valid_slug(bad), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn unique_slug_suffixes_taken_names() {
        let mut taken: HashSet<String> = ["push-up".to_owned(), "push-up-2".to_owned()].into();
        assert_eq!(unique_slug("push-up", &mut taken), "push-up-3");
        assert_eq!(unique_slug("row", &mut taken), "row");
        assert!(taken.contains("push-up-3") && taken.contains("row"));
    }
}
