//! Pointing a supergraph's `@join__graph` URLs at spawned fixture subgraphs.
//!
//! This is a textual rewrite rather than parse-and-print so the rest of the
//! supergraph SDL (formatting, comments, directive order) stays byte-for-byte
//! what the test wrote.

use std::collections::HashSet;
use std::ops::Range;

const DIRECTIVE: &str = "@join__graph";

/// Rewrites the `url:` argument of each `@join__graph(name: "NAME", url: "...")`
/// in `supergraph_sdl` whose `NAME` appears in `urls`, leaving everything
/// else untouched. Names are matched exactly as written in the SDL.
///
/// # Panics
///
/// If a name in `urls` matches no `@join__graph` with a `url` argument:
/// that is almost always a typo in the test.
pub fn supergraph_with_urls(supergraph_sdl: &str, urls: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(supergraph_sdl.len());
    let mut seen = HashSet::new();
    let mut rest = supergraph_sdl;
    while let Some(args) = next_arguments(rest) {
        out.push_str(&rest[..args.start]);
        out.push_str(&rewrite_arguments(&rest[args.clone()], urls, &mut seen));
        rest = &rest[args.end..];
    }
    out.push_str(rest);
    for (name, _) in urls {
        assert!(
            seen.contains(*name),
            "no @join__graph(name: {name:?}, url: ..) in the supergraph SDL"
        );
    }
    out
}

/// The byte range of the argument text of the next `@join__graph(...)`,
/// between (excluding) the parentheses.
fn next_arguments(sdl: &str) -> Option<Range<usize>> {
    let mut from = 0;
    loop {
        let at = from + sdl[from..].find(DIRECTIVE)?;
        let after = at + DIRECTIVE.len();
        from = after;
        let tail = &sdl[after..];
        // `@join__graphs` or similar is a different name.
        if tail.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let trimmed = tail.trim_start();
        if !trimmed.starts_with('(') {
            continue;
        }
        let start = after + (tail.len() - trimmed.len()) + 1;
        let len = closing_paren(&sdl[start..])?;
        return Some(start..start + len);
    }
}

/// Offset of the `)` that closes an argument list, skipping string literals.
fn closing_paren(args: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in args.char_indices() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (false, _, '"') => in_string = true,
            (false, _, ')') => return Some(i),
            _ => {}
        }
    }
    None
}

/// A `name: "value"` argument: the argument name, the decoded value and the
/// byte range of the quoted literal.
struct StringArgument<'a> {
    name: &'a str,
    value: String,
    literal: Range<usize>,
}

fn string_arguments(args: &str) -> Vec<StringArgument<'_>> {
    let mut found = Vec::new();
    let mut search = 0;
    while let Some(colon) = args[search..].find(':').map(|i| search + i) {
        let name = args[..colon].trim_end();
        let name = &name[name
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1)..];
        let value_start =
            colon + 1 + (args[colon + 1..].len() - args[colon + 1..].trim_start().len());
        search = colon + 1;
        if !args[value_start..].starts_with('"') {
            continue;
        }
        let Some(len) = string_literal_len(&args[value_start..]) else {
            break;
        };
        let literal = value_start..value_start + len;
        // A GraphQL string with only JSON-compatible escapes decodes as JSON.
        let value = serde_json::from_str(&args[literal.clone()]).unwrap_or_default();
        found.push(StringArgument {
            name,
            value,
            literal: literal.clone(),
        });
        search = literal.end;
    }
    found
}

/// Length of the `"..."` literal at the start of `text`, quotes included.
fn string_literal_len(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn rewrite_arguments(args: &str, urls: &[(&str, String)], seen: &mut HashSet<String>) -> String {
    let found = string_arguments(args);
    let name = found
        .iter()
        .find(|a| a.name == "name")
        .map(|a| a.value.as_str());
    let url = found.iter().find(|a| a.name == "url");
    let new_url = urls.iter().find(|(n, _)| Some(*n) == name).map(|(_, u)| u);
    let (Some(url), Some(new_url)) = (url, new_url) else {
        return args.to_owned();
    };
    seen.insert(name.unwrap_or_default().to_owned());
    let quoted = serde_json::to_string(new_url).expect("a string always serializes");
    format!(
        "{}{quoted}{}",
        &args[..url.literal.start],
        &args[url.literal.end..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_named_graphs_in_any_argument_order() {
        let sdl = r#"directive @join__graph(name: String!, url: String!) on ENUM_VALUE
enum join__Graph {
  A @join__graph(name: "a", url: "http://old-a")
  B @join__graph (url: "http://old-b", name: "b")
  C @join__graph(name: "c", url: "http://old-c")
}"#;
        let out = supergraph_with_urls(
            sdl,
            &[("a", "http://new-a".into()), ("b", "http://new-b".into())],
        );
        assert!(
            out.contains(r#"A @join__graph(name: "a", url: "http://new-a")"#),
            "{out}"
        );
        assert!(
            out.contains(r#"B @join__graph (url: "http://new-b", name: "b")"#),
            "{out}"
        );
        assert!(out.contains(r#"url: "http://old-c""#));
        assert!(
            out.starts_with("directive @join__graph(name: String!, url: String!) on ENUM_VALUE\n")
        );
    }

    #[test]
    #[should_panic(expected = "\"missing\"")]
    fn unknown_name_panics() {
        supergraph_with_urls(
            r#"A @join__graph(name: "a", url: "x")"#,
            &[("missing", "y".into())],
        );
    }
}
