//! The Markdown of portal pages and news, made into HTML that is safe by construction.
//!
//! The parser (`pulldown-cmark`, CommonMark with tables and strikethrough) gives events; this
//! module writes the HTML of each allowed event itself. Nothing from the input is copied into
//! the output except as escaped text or as a checked, escaped URL:
//! - raw HTML, block or inline, is dropped (a `<script>` and its content disappear);
//! - links and images keep their URL only when it is relative or `http`, `https`, `mailto`,
//!   `tel` (images: relative, `http`, `https`); otherwise the text stays and the link goes;
//! - no attribute is written but `href`, `src`, `alt`, `title` and the fixed `rel` and `class`
//!   values made here; heading ids and classes of the input are never enabled;
//! - headings move one level down (`#` is `<h2>`), since the page title is the `<h1>`, and
//!   never skip a level (an author who starts at `###` gets `<h2>`).

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Escapes text for HTML element content and quoted attribute values.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// What a URL may be used for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum UrlUse {
    Link,
    Image,
}

/// The URL if it may be written: relative, or with an allowed scheme. A URL with whitespace or
/// control characters is refused whole (browsers drop some of them, which hides a scheme).
fn safe_url(raw: &str, use_: UrlUse) -> Option<&str> {
    let url = raw.trim();
    if url.is_empty() || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    // A scheme is what comes before the first ':' when no '/', '?' or '#' comes earlier.
    let scheme_end = url.find([':', '/', '?', '#']);
    let scheme = match scheme_end {
        Some(i) if url[i..].starts_with(':') => url[..i].to_ascii_lowercase(),
        _ => return Some(url),
    };
    let allowed: &[&str] = match use_ {
        UrlUse::Link => &["http", "https", "mailto", "tel"],
        UrlUse::Image => &["http", "https"],
    };
    allowed.contains(&scheme.as_str()).then_some(url)
}

/// The HTML heading of a Markdown heading, under the page's own `h1`: one level down ("#" is
/// `h2`), and never more than one level below the heading before it (`previous`, 1 at the
/// start), so that headings an author starts at "##" or "###" still nest in order for screen
/// readers.
fn heading(level: HeadingLevel, previous: u8) -> u8 {
    let wanted = match level {
        HeadingLevel::H1 => 2,
        HeadingLevel::H2 => 3,
        HeadingLevel::H3 => 4,
        HeadingLevel::H4 => 5,
        HeadingLevel::H5 | HeadingLevel::H6 => 6,
    };
    wanted.min(previous + 1).max(2)
}

/// The safe HTML of a Markdown text.
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 2);
    // The level of the last heading written (the page title is the h1).
    let mut last_heading: u8 = 1;
    // Links whose URL was refused: their end writes nothing.
    let mut links: Vec<bool> = Vec::new();
    // Inside an image, text goes to its alt text.
    let mut image: Option<(String, String, String)> = None;
    let mut in_head = false;
    for ev in Parser::new_ext(markdown, options()) {
        if let Some((_, _, alt)) = image.as_mut() {
            match ev {
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                Event::End(TagEnd::Image) => {
                    if let Some((src, title, alt)) = image.take() {
                        out.push_str("<img src=\"");
                        escape_into(&mut out, &src);
                        out.push_str("\" alt=\"");
                        escape_into(&mut out, &alt);
                        out.push('"');
                        if !title.is_empty() {
                            out.push_str(" title=\"");
                            escape_into(&mut out, &title);
                            out.push('"');
                        }
                        out.push_str(" loading=\"lazy\">");
                    }
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p>"),
                Tag::Heading { level, .. } => {
                    last_heading = heading(level, last_heading);
                    out.push_str(&format!("<h{last_heading}>"));
                }
                Tag::BlockQuote(_) => out.push_str("<blockquote>"),
                Tag::CodeBlock(_) => out.push_str("<pre><code>"),
                Tag::List(Some(1)) => out.push_str("<ol>\n"),
                Tag::List(Some(start)) => {
                    out.push_str(&format!("<ol start=\"{start}\">\n"));
                }
                Tag::List(None) => out.push_str("<ul>\n"),
                Tag::Item => out.push_str("<li>"),
                Tag::Table(_) => out.push_str("<div class=\"table-wrap\"><table>"),
                Tag::TableHead => {
                    in_head = true;
                    out.push_str("<thead><tr>");
                }
                Tag::TableRow => out.push_str("<tr>"),
                Tag::TableCell => out.push_str(if in_head { "<th>" } else { "<td>" }),
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Strikethrough => out.push_str("<s>"),
                Tag::Link {
                    dest_url, title, ..
                } => match safe_url(&dest_url, UrlUse::Link) {
                    Some(url) => {
                        out.push_str("<a href=\"");
                        escape_into(&mut out, url);
                        out.push('"');
                        if !title.is_empty() {
                            out.push_str(" title=\"");
                            escape_into(&mut out, &title);
                            out.push('"');
                        }
                        if url.starts_with("http:") || url.starts_with("https:") {
                            out.push_str(" rel=\"nofollow noopener\"");
                        }
                        out.push('>');
                        links.push(true);
                    }
                    None => links.push(false),
                },
                Tag::Image {
                    dest_url, title, ..
                } => {
                    if let Some(url) = safe_url(&dest_url, UrlUse::Image) {
                        image = Some((url.to_owned(), title.to_string(), String::new()));
                    } else {
                        // The image goes; its alt text stays as text.
                        image = None;
                        links.push(false);
                        out.push_str("<span>");
                    }
                }
                // Not enabled, or not allowed: the content stays, the element goes.
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph => out.push_str("</p>\n"),
                TagEnd::Heading(_) => out.push_str(&format!("</h{last_heading}>\n")),
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
                TagEnd::CodeBlock => out.push_str("</code></pre>\n"),
                TagEnd::List(true) => out.push_str("</ol>\n"),
                TagEnd::List(false) => out.push_str("</ul>\n"),
                TagEnd::Item => out.push_str("</li>\n"),
                TagEnd::Table => out.push_str("</tbody></table></div>\n"),
                TagEnd::TableHead => {
                    in_head = false;
                    out.push_str("</tr></thead><tbody>");
                }
                TagEnd::TableRow => out.push_str("</tr>\n"),
                TagEnd::TableCell => out.push_str(if in_head { "</th>" } else { "</td>" }),
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Strikethrough => out.push_str("</s>"),
                // A refused link wrote no opening tag, so it writes no closing one.
                TagEnd::Link => out.push_str(if links.pop() == Some(true) {
                    "</a>"
                } else {
                    ""
                }),
                TagEnd::Image => {
                    links.pop();
                    out.push_str("</span>");
                }
                _ => {}
            },
            Event::Text(t) => escape_into(&mut out, &t),
            Event::Code(t) => {
                out.push_str("<code>");
                escape_into(&mut out, &t);
                out.push_str("</code>");
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            // Raw HTML is dropped, and so is everything not enabled.
            _ => {}
        }
    }
    out
}

/// The text of a Markdown text without its markup, for search, feeds and descriptions: blocks
/// end in a newline, raw HTML is dropped, link text stays.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for ev in Parser::new_ext(markdown, options()) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableRow,
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// At most `max` characters of the plain text, on one line, cut at a word boundary with "…".
pub fn summary(markdown: &str, max: usize) -> String {
    prongsai_thai::Segmenter::new().shorten(&to_plain_text(markdown), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_nest_in_order_under_the_page_title() {
        let html = to_html("### ก\n\n#### ข\n\n###### ค\n\n# ง");
        assert_eq!(
            html.lines()
                .filter(|l| l.starts_with("<h"))
                .collect::<Vec<_>>(),
            ["<h2>ก</h2>", "<h3>ข</h3>", "<h4>ค</h4>", "<h2>ง</h2>"]
        );
    }

    fn check(md: &str, expected: &str) {
        assert_eq!(to_html(md).trim(), expected, "{md:?}");
    }

    #[test]
    fn scripts_and_raw_html_are_dropped() {
        check("<script>alert(1)</script>", "");
        check(
            "ก่อน <script>alert(1)</script> หลัง",
            "<p>ก่อน alert(1) หลัง</p>",
        );
        check("<img src=x onerror=alert(1)>\n\nข้อความ", "<p>ข้อความ</p>");
        check("a <b onclick=\"x()\">b</b> c", "<p>a b c</p>");
        check(
            "<div>\n\n**ตัวหนา**\n\n</div>",
            "<p><strong>ตัวหนา</strong></p>",
        );
        check("<!-- hidden -->text", "");
        let html = to_html("<iframe src=\"https://evil.example\"></iframe>\n<style>*{}</style>");
        assert!(!html.contains('<'), "{html}");
    }

    #[test]
    fn only_safe_urls_become_links() {
        check("[คลิก](javascript:alert(1))", "<p>คลิก</p>");
        check("[x](JaVaScRiPt:alert(1))", "<p>x</p>");
        check("[x](java&#x09;script:alert(1))", "<p>x</p>");
        check("[x](&#106;avascript:alert(1))", "<p>x</p>");
        check("[x](data:text/html;base64,PHNjcmlwdD4=)", "<p>x</p>");
        check("[x](vbscript:msgbox)", "<p>x</p>");
        check("<javascript:alert(1)>", "<p>javascript:alert(1)</p>");
        check(
            "[ประกาศ](https://example.go.th/a?b=1&c=\"2\")",
            "<p><a href=\"https://example.go.th/a?b=1&amp;c=&quot;2&quot;\" rel=\"nofollow noopener\">ประกาศ</a></p>",
        );
        check(
            "[หน้า](/a/nonhan/p/about)",
            "<p><a href=\"/a/nonhan/p/about\">หน้า</a></p>",
        );
        check(
            "[โทร](tel:043000000)",
            "<p><a href=\"tel:043000000\">โทร</a></p>",
        );
        check(
            "[อีเมล](mailto:saraban@nonhan.go.th)",
            "<p><a href=\"mailto:saraban@nonhan.go.th\">อีเมล</a></p>",
        );
        check(
            "[a](x \"t\\\" onmouseover=\\\"y\")",
            "<p><a href=\"x\" title=\"t&quot; onmouseover=&quot;y\">a</a></p>",
        );
    }

    #[test]
    fn images_keep_checked_sources_and_escaped_alt_text() {
        check(
            "![แผนที่ \"สำนักงาน\"](/a/nonhan/files/1)",
            "<p><img src=\"/a/nonhan/files/1\" alt=\"แผนที่ &quot;สำนักงาน&quot;\" loading=\"lazy\"></p>",
        );
        check("![x](javascript:alert(1))", "<p><span>x</span></p>");
        check("![x](mailto:a@b.c)", "<p><span>x</span></p>");
    }

    #[test]
    fn entities_are_decoded_and_escaped_again() {
        check(
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        );
        check("&amp; &quot; &#39; &copy;", "<p>&amp; &quot; &#39; ©</p>");
        check("`<b>`", "<p><code>&lt;b&gt;</code></p>");
        check(
            "    <script>x</script>",
            "<pre><code>&lt;script&gt;x&lt;/script&gt;</code></pre>",
        );
    }

    #[test]
    fn thai_text_and_structure() {
        check(
            "# อำนาจหน้าที่\n\nเทศบาล**มีหน้าที่**ต้องทำ\n\n1. รักษาความสะอาด\n2. ป้องกันโรค",
            "<h2>อำนาจหน้าที่</h2>\n<p>เทศบาล<strong>มีหน้าที่</strong>ต้องทำ</p>\n<ol>\n<li>รักษาความสะอาด</li>\n<li>ป้องกันโรค</li>\n</ol>",
        );
        check(
            "3. สาม\n4. สี่",
            "<ol start=\"3\">\n<li>สาม</li>\n<li>สี่</li>\n</ol>",
        );
        check(
            "# h2\n\n## h3\n\n### h4\n\n#### h5\n\n###### h6",
            "<h2>h2</h2>\n<h3>h3</h3>\n<h4>h4</h4>\n<h5>h5</h5>\n<h6>h6</h6>",
        );
        check(
            "# หัวข้อ {#x .y onclick=z}",
            "<h2>หัวข้อ {#x .y onclick=z}</h2>",
        );
        let table = to_html("| ปี | งบ |\n|---|---|\n| ๒๕๖๗ | 1,000 |");
        assert_eq!(
            table.trim(),
            "<div class=\"table-wrap\"><table><thead><tr><th>ปี</th><th>งบ</th></tr></thead><tbody><tr><td>๒๕๖๗</td><td>1,000</td></tr>\n</tbody></table></div>"
        );
    }

    #[test]
    fn plain_text_has_no_markup() {
        assert_eq!(
            to_plain_text("# หัวข้อ\n\nข้อความ [ลิงก์](https://x.example) <b>ตัวหนา</b>\n\n- หนึ่ง\n- สอง"),
            "หัวข้อ\nข้อความ ลิงก์ ตัวหนา\nหนึ่ง\nสอง"
        );
        assert_eq!(summary("ก ข ค ง", 3), "ก ข…");
        assert_eq!(summary("# ก\n\nข", 10), "ก ข");
    }

    #[test]
    fn no_input_makes_an_unknown_tag_or_attribute() {
        // Whatever the input, every tag written is one of ours, with attributes of ours.
        let inputs = [
            "<a href=javascript:x>x</a>",
            "[x](<javascript:x>)",
            "![a](https://x/\"onerror=\"alert(1))",
            "*<svg onload=alert(1)>*",
            "> <details open ontoggle=alert(1)>",
            "| <img src=x onerror=y> |\n|-|\n| <script>z</script> |",
            "[a]: javascript:alert(1)\n\n[x][a]",
        ];
        let allowed = [
            "p",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "code",
            "ol",
            "ul",
            "li",
            "div",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "em",
            "strong",
            "s",
            "a",
            "img",
            "br",
            "hr",
            "span",
        ];
        for md in inputs {
            let html = to_html(md);
            let mut rest = html.as_str();
            while let Some(i) = rest.find('<') {
                rest = &rest[i + 1..];
                let name: String = rest
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                assert!(allowed.contains(&name.as_str()), "{md:?} → {html}");
            }
            assert!(
                !html.contains("onerror=\"") && !html.contains("onload="),
                "{md:?} → {html}"
            );
            assert!(!html.contains("href=\"javascript"), "{md:?} → {html}");
        }
    }
}
