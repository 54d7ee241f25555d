//! Exclusive XML Canonicalization 1.0 without comments
//! (http://www.w3.org/2001/10/xml-exc-c14n#), the form Trusted List signatures use.
//! Prefixes are taken from the source text, because several prefixes may name one
//! namespace (the Italian list binds `ns2` and `ds` to XMLDSig) and c14n keeps them as written.

use roxmltree::{Node, NodeId, NodeType};

/// Namespace declarations already rendered by output ancestors: (prefix, uri).
type Rendered = Vec<(String, String)>;

fn qname_at(source: &str, start: usize) -> &str {
    let rest = source.get(start..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    &rest[..end]
}

fn prefix_of(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(p, _)| p)
}

fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            other => out.push(other),
        }
    }
}

fn escape_attr(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            other => out.push(other),
        }
    }
}

fn namespace_uri<'a>(node: Node<'a, '_>, prefix: &str) -> &'a str {
    node.namespaces()
        .find(|ns| ns.name().unwrap_or("") == prefix)
        .map(|ns| ns.uri())
        .unwrap_or("")
}

fn element(
    node: Node<'_, '_>,
    source: &str,
    exclude: Option<NodeId>,
    rendered: &Rendered,
    out: &mut String,
) {
    let qname = qname_at(source, node.range().start + 1);
    let mut used: Vec<&str> = vec![prefix_of(qname)];
    let mut attributes: Vec<(String, String, &str, &str)> = Vec::new();
    for attr in node.attributes() {
        let attr_qname = source.get(attr.range_qname()).unwrap_or(attr.name());
        let prefix = prefix_of(attr_qname);
        if !prefix.is_empty() && prefix != "xml" {
            used.push(prefix);
        }
        attributes.push((
            attr.namespace().unwrap_or("").to_string(),
            attr.name().to_string(),
            attr_qname,
            attr.value(),
        ));
    }
    used.sort_unstable();
    used.dedup();

    let mut scope = rendered.clone();
    let mut declarations: Vec<(String, String)> = Vec::new();
    for prefix in used {
        let uri = namespace_uri(node, prefix);
        let current = scope
            .iter()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.as_str());
        let needed = match current {
            Some(u) => u != uri,
            // An unprefixed element in no namespace needs xmlns="" only to undo a default.
            None => !(prefix.is_empty() && uri.is_empty()),
        };
        if needed {
            declarations.push((prefix.to_string(), uri.to_string()));
            scope.retain(|(p, _)| p != prefix);
            scope.push((prefix.to_string(), uri.to_string()));
        }
    }
    declarations.sort();
    // Attributes sort by namespace URI, then local name; unqualified ones come first.
    attributes.sort_by(|a, b| (a.0.as_str(), a.1.as_str()).cmp(&(b.0.as_str(), b.1.as_str())));

    out.push('<');
    out.push_str(qname);
    for (prefix, uri) in &declarations {
        if prefix.is_empty() {
            out.push_str(" xmlns=\"");
        } else {
            out.push_str(" xmlns:");
            out.push_str(prefix);
            out.push_str("=\"");
        }
        escape_attr(uri, out);
        out.push('"');
    }
    for (_, _, attr_qname, value) in &attributes {
        out.push(' ');
        out.push_str(attr_qname);
        out.push_str("=\"");
        escape_attr(value, out);
        out.push('"');
    }
    out.push('>');
    for child in node.children() {
        if Some(child.id()) == exclude {
            continue;
        }
        match child.node_type() {
            NodeType::Element => element(child, source, exclude, &scope, out),
            NodeType::Text => escape_text(child.text().unwrap_or(""), out),
            NodeType::PI => {
                if let Some(pi) = child.pi() {
                    out.push_str("<?");
                    out.push_str(pi.target);
                    if let Some(value) = pi.value {
                        out.push(' ');
                        out.push_str(value);
                    }
                    out.push_str("?>");
                }
            }
            NodeType::Comment | NodeType::Root => {}
        }
    }
    out.push_str("</");
    out.push_str(qname);
    out.push('>');
}

/// The canonical form of `apex` and its descendants, leaving out the subtree `exclude`
/// (the enveloped signature).
pub fn canonicalize(apex: Node<'_, '_>, source: &str, exclude: Option<NodeId>) -> String {
    let mut out = String::new();
    element(apex, source, exclude, &Vec::new(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n(xml: &str) -> String {
        let doc = roxmltree::Document::parse(xml).unwrap();
        canonicalize(doc.root_element(), xml, None)
    }

    #[test]
    fn exclusive_rules() {
        // Unused declarations dropped, used ones pushed down, attributes sorted, empty
        // elements expanded, text and attribute escaping.
        assert_eq!(
            c14n(
                r#"<a xmlns="urn:d" xmlns:u="urn:unused" xmlns:p="urn:p" z="1" b="&lt;&#9;"><p:c/>x &amp; &gt;</a>"#
            ),
            r#"<a xmlns="urn:d" b="&lt;&#x9;" z="1"><p:c xmlns:p="urn:p"></p:c>x &amp; &gt;</a>"#
        );
        // Two prefixes for one namespace stay as written.
        assert_eq!(
            c14n(r#"<r xmlns:a="urn:x" xmlns:b="urn:x"><b:e a:k="v"/></r>"#),
            r#"<r><b:e xmlns:a="urn:x" xmlns:b="urn:x" a:k="v"></b:e></r>"#
        );
    }
}
