//! Resolver checks: what Fluent would fail on when formatting, found without formatting, per
//! locale and at the placeable in the .ftl file.
//!
//! - E306: messages or terms that reference each other in a cycle (`a = { b }`, `b = { a }`, or
//!   `body = { body }`). Fluent prints `{???}` for them. Reported once per cycle, naming it
//!   (`a → b → a`), at the first reference of the cycle's first entry in source order.
//! - E307: a call of a function that does not exist (`{ FOO() }`); the functions are
//!   [`crate::intl::FUNCTIONS`].
//! - E308: a call whose arguments cannot format: `NUMBER()`, `NUMBER("NaN")`,
//!   `DATETIME("2026-02-30")`, an unknown or invalid option. Decided by the same code the
//!   renderer's functions run ([`crate::intl::check_call`]); a `$variable` argument stands for a
//!   value of the right kind, and calls with computed arguments are left to render time.
//! - E309: a message whose text, with every reference expanded, exceeds
//!   [`MAX_EXPANDED_BYTES`]: one 2 MB message referenced 99 times would make a 200 MB page.
//!
//! The reference graph is walked without recursion (iterative Tarjan), so no catalog can
//! exhaust the stack.

use std::collections::{BTreeMap, HashMap};

use fluent_bundle::{FluentArgs, FluentValue};

use crate::catalog::{ArgKind, Catalog, Catalogs, Entry, EntryKind, FunctionCall, PatternInfo};
use crate::diagnostics::{Code, Diagnostic};
use crate::site::{Locale, Site};

/// The largest text one message may expand to, references included: 1 MiB.
pub const MAX_EXPANDED_BYTES: usize = 1 << 20;

/// Runs the resolver family for every locale.
pub fn check(site: &Site, catalogs: &Catalogs, diags: &mut Vec<Diagnostic>) {
    for locale in site.locales() {
        let Some(cat) = catalogs.get(&locale.code) else {
            continue;
        };
        let graph = Graph::new(cat);
        graph.cycles_and_sizes(diags);
        functions(locale, cat, diags);
    }
}

/// A pattern of an entry: (kind, id, attribute).
type Node<'a> = (EntryKind, &'a str, Option<&'a str>);

/// The reference graph of one locale: a node per pattern, an edge per reference.
struct Graph<'a> {
    cat: &'a Catalog,
    nodes: Vec<(Node<'a>, &'a Entry, &'a PatternInfo)>,
    /// Edges: (target node index, reference index in the pattern's `refs`).
    edges: Vec<Vec<(usize, usize)>>,
}

impl<'a> Graph<'a> {
    fn new(cat: &'a Catalog) -> Self {
        let mut nodes = Vec::new();
        let mut index: HashMap<Node<'a>, usize> = HashMap::with_capacity(cat.entries.len());
        for e in cat.entries.values() {
            for (attr, p) in e.patterns() {
                let node = (e.kind, e.id.as_str(), attr);
                index.insert(node, nodes.len());
                nodes.push((node, e, p));
            }
        }
        let edges = nodes
            .iter()
            .map(|(_, _, p)| {
                p.refs
                    .iter()
                    .enumerate()
                    .filter_map(|(ri, r)| {
                        let target = (r.kind, r.id.as_str(), r.attribute.as_deref());
                        index.get(&target).map(|&t| (t, ri))
                    })
                    .collect()
            })
            .collect();
        Graph { cat, nodes, edges }
    }

    /// The strongly connected components in reverse topological order (every component comes
    /// after the components it references), by Tarjan's algorithm with an explicit stack.
    fn components(&self) -> Vec<Vec<usize>> {
        let n = self.nodes.len();
        let mut index = vec![usize::MAX; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut stack = Vec::new();
        let mut out = Vec::new();
        let mut next = 0;
        for root in 0..n {
            if index[root] != usize::MAX {
                continue;
            }
            // (node, position in its edge list)
            let mut work = vec![(root, 0usize)];
            index[root] = next;
            low[root] = next;
            next += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some(&mut (v, ref mut pos)) = work.last_mut() {
                if let Some(&(w, _)) = self.edges[v].get(*pos) {
                    *pos += 1;
                    if index[w] == usize::MAX {
                        index[w] = next;
                        low[w] = next;
                        next += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    out.push(comp);
                }
            }
        }
        out
    }

    fn name(&self, i: usize) -> String {
        let ((kind, id, attr), _, _) = self.nodes[i];
        let dash = if kind == EntryKind::Term { "-" } else { "" };
        match attr {
            Some(a) => format!("{dash}{id}.{a}"),
            None => format!("{dash}{id}"),
        }
    }

    /// E306 for every cycle, then E309 for every message that expands past the limit.
    fn cycles_and_sizes(&self, diags: &mut Vec<Diagnostic>) {
        let mut size = vec![0usize; self.nodes.len()];
        let mut comp_of = vec![usize::MAX; self.nodes.len()];
        for (c, comp) in self.components().into_iter().enumerate() {
            for &v in &comp {
                comp_of[v] = c;
            }
            let cyclic = comp.len() > 1 || self.edges[comp[0]].iter().any(|&(t, _)| t == comp[0]);
            if cyclic {
                self.report_cycle(&comp, &comp_of, c, diags);
            }
            // Components come after everything they reference, so those sizes are final;
            // references inside a cycle count only their own text.
            for &v in &comp {
                let (_, _, p) = self.nodes[v];
                let mut s: usize = p
                    .text
                    .chars()
                    .filter(|&c| c != crate::catalog::PLACEABLE)
                    .map(char::len_utf8)
                    .sum();
                for &(t, _) in &self.edges[v] {
                    if comp_of[t] != c {
                        s = s.saturating_add(size[t]);
                    }
                }
                size[v] = s;
            }
        }
        for (v, &s) in size.iter().enumerate() {
            let ((kind, _, _), e, _) = self.nodes[v];
            if kind != EntryKind::Message || s <= MAX_EXPANDED_BYTES {
                continue;
            }
            diags.push(
                self.cat
                    .at(
                        Diagnostic::new(
                            Code::E309,
                            format!(
                                "`{}` expands to {} of text with its references; the limit is 1 MiB",
                                self.name(v),
                                human_bytes(s)
                            ),
                        ),
                        e,
                        e.offset..e.offset + e.display_id().len(),
                    )
                    .help("reference the long text fewer times, or split it into messages a template shows once"),
            );
        }
    }

    /// Reports one cycle: from the component's first pattern in source order, the path of
    /// references that leads back to it.
    fn report_cycle(
        &self,
        comp: &[usize],
        comp_of: &[usize],
        c: usize,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some(&start) = comp.iter().min_by_key(|&&v| {
            let (_, e, p) = self.nodes[v];
            (e.file, p.offset, v)
        }) else {
            return;
        };
        // Breadth-first inside the component from `start` back to `start`.
        let mut prev: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        let mut found: Option<(usize, usize)> = None;
        'search: while let Some(v) = queue.pop_front() {
            for &(t, ri) in &self.edges[v] {
                if comp_of[t] != c {
                    continue;
                }
                if t == start {
                    found = Some((v, ri));
                    break 'search;
                }
                if let std::collections::btree_map::Entry::Vacant(slot) = prev.entry(t) {
                    slot.insert((v, ri));
                    queue.push_back(t);
                }
            }
        }
        let Some((last, _)) = found else { return };
        let mut path = vec![start];
        let mut v = last;
        let mut back = Vec::new();
        while v != start {
            back.push(v);
            match prev.get(&v) {
                Some(&(p, _)) => v = p,
                None => break,
            }
        }
        path.extend(back.into_iter().rev());
        path.push(start);
        let first_ref = match path.get(1) {
            Some(&next) if next != start || path.len() == 2 => self.edges[start]
                .iter()
                .find(|&&(t, _)| t == next)
                .map(|&(_, ri)| ri),
            _ => None,
        };
        let (_, e, p) = self.nodes[start];
        let names: Vec<String> = path.iter().map(|&v| self.name(v)).collect();
        let span = match first_ref.and_then(|ri| p.refs.get(ri)) {
            Some(r) => r.offset..r.offset + r.len,
            None => p.offset..p.offset + 1,
        };
        diags.push(
            self.cat
                .at(
                    Diagnostic::new(
                        Code::E306,
                        format!("reference cycle: {}", names.join(" → ")),
                    ),
                    e,
                    span,
                )
                .help("Fluent cannot format a message that refers back to itself; remove one of the references"),
        );
    }
}

fn human_bytes(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64)
    } else {
        format!("{n} bytes")
    }
}

/// E307 and E308 for every call in the locale.
fn functions(locale: &Locale, cat: &Catalog, diags: &mut Vec<Diagnostic>) {
    for e in cat.all_entries() {
        for (_, p) in e.patterns() {
            for call in &p.calls {
                if !crate::intl::FUNCTIONS.contains(&call.name.as_str()) {
                    let hint = format!("the functions are {}", crate::intl::FUNCTIONS.join(", "));
                    diags.push(
                        cat.at(
                            Diagnostic::new(
                                Code::E307,
                                format!("there is no function `{}()`", call.name),
                            ),
                            e,
                            call.offset..call.offset + call.name.len(),
                        )
                        .help(hint),
                    );
                    continue;
                }
                if let Some(err) = bad_arguments(locale, call) {
                    diags.push(
                        cat.at(
                            Diagnostic::new(
                                Code::E308,
                                format!("`{}()` cannot format these arguments: {err}", call.name),
                            ),
                            e,
                            call.offset..call.offset + call.name.len(),
                        )
                        .help(match call.name.as_str() {
                            "NUMBER" => "NUMBER() takes one number (a variable or a literal such as 12.5) and options such as minimumFractionDigits: 2",
                            "DATETIME" => "DATETIME() takes one ISO date such as \"2026-03-01\" (or a variable holding one) and options such as dateStyle: \"long\"",
                            _ => "pass one number or string",
                        }),
                    );
                }
            }
        }
    }
}

/// Why the call cannot format, when that can be decided from its literal arguments.
fn bad_arguments(locale: &Locale, call: &FunctionCall) -> Option<String> {
    let mut positional = Vec::with_capacity(call.positional.len());
    for a in &call.positional {
        positional.push(match &a.kind {
            ArgKind::String(s) => FluentValue::from(s.clone()),
            ArgKind::Number(n) => FluentValue::try_number(n),
            // A variable stands for a value of the kind the function takes.
            ArgKind::Variable(_) if call.name == "DATETIME" => FluentValue::from("2000-01-01"),
            ArgKind::Variable(_) => FluentValue::from(1),
            ArgKind::Other => return None,
        });
    }
    let mut named = FluentArgs::new();
    for (name, a) in &call.named {
        let value = match &a.kind {
            ArgKind::String(s) => FluentValue::from(s.clone()),
            ArgKind::Number(n) => FluentValue::try_number(n),
            _ => return None,
        };
        named.set(name.clone(), value);
    }
    crate::intl::check_call(&locale.id, &call.name, &positional, &named)
        .err()
        .map(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::coverage::tests::{found, run, Seen};

    fn one(en: &str) -> Vec<Seen> {
        run(&[("en/a.ftl", en), ("zh-CN/a.ftl", en)])
    }

    #[test]
    fn cycles_are_named_and_placed_once() {
        let d = one("a = x { b } y\nb = { c }\nc = { a }\nbody = { body }\nok = { d } { d }\nd = fine\nt = { t.x }\n    .x = attr\n");
        let cycles: Vec<&Seen> = d.iter().filter(|x| x.code == Code::E306).collect();
        assert_eq!(
            found(&d, Code::E306),
            [
                "en/a.ftl:1:9 a",
                "en/a.ftl:4:10 body",
                "zh-CN/a.ftl:1:9 a",
                "zh-CN/a.ftl:4:10 body"
            ]
        );
        assert!(cycles[0].message.contains("a → b → c → a"), "{cycles:?}");
        assert!(cycles[1].message.contains("body → body"), "{cycles:?}");
    }

    #[test]
    fn term_cycles_too() {
        let d = run(&[("en/a.ftl", "-t = { -u }\n-u = { -t }\nm = { -t }\n")]);
        assert_eq!(found(&d, Code::E306), ["en/a.ftl:1:8 -t"]);
    }

    #[test]
    fn unknown_functions_and_bad_arguments() {
        let d = one("a = { FOO() }\nb = { NUMBR($n) }\nc = { NUMBER() }\nd = { NUMBER(\"NaN\") }\ne = { DATETIME(\"2026-02-30\") }\nf = { NUMBER($n, minimumFractionDigits: 2) } { DATETIME($d) } { NUMBER(\"12.5\") }\ng = { NUMBER($n, style: \"bogus\") }\n");
        assert_eq!(
            found(&d, Code::E307)[..2],
            ["en/a.ftl:1:7 a", "en/a.ftl:2:7 b"]
        );
        assert!(d
            .iter()
            .any(|x| x.code == Code::E307 && x.help.contains("NUMBER, DATETIME")));
        assert_eq!(
            found(&d, Code::E308)[..4],
            [
                "en/a.ftl:3:7 c",
                "en/a.ftl:4:7 d",
                "en/a.ftl:5:7 e",
                "en/a.ftl:7:7 g"
            ]
        );
    }

    #[test]
    fn huge_expansions_are_e309() {
        let big = "x".repeat(20_000);
        let refs = " { big }".repeat(99);
        let d = run(&[(
            "en/a.ftl",
            &format!("big = {big}\npage = {refs}\nsmall = {{ big }}\n"),
        )]);
        assert_eq!(found(&d, Code::E309), ["en/a.ftl:2:1 page"]);
        // Exponential blow-up saturates instead of overflowing.
        let mut text = String::from("m0 = xxxxxxxxxx\n");
        for i in 1..80 {
            text.push_str(&format!("m{i} = {{ m{0} }}{{ m{0} }}\n", i - 1));
        }
        let d = run(&[("en/a.ftl", &text)]);
        assert!(found(&d, Code::E309).len() > 50);
    }

    #[test]
    fn long_reference_chains_do_not_recurse() {
        let mut text = String::new();
        for i in 0..50_000 {
            text.push_str(&format!("m{i} = {{ m{} }}\n", i + 1));
        }
        text.push_str("m50000 = end\n");
        let d = run(&[("en/a.ftl", &text)]);
        assert!(found(&d, Code::E306).is_empty());
    }
}
