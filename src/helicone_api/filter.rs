//! The filter AST of Helicone's request query (`POST
//! /v1/request/query-clickhouse`, docs/helicone.md §5.1): a leaf, or `{"left": …,
//! "operator": "and"|"or", "right": …}` (Helicone also takes `"all"`, which
//! hcl never needs).
//!
//! Every leaf is wrapped in its table, `{"request_response_rmt": {FIELD:
//! {OP: VALUE}}}`. Helicone answers an unwrapped leaf with an empty list and
//! no error, so the wrapper is not optional: the serializer below always
//! writes it, and no other code builds filters.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// The table every leaf of the ClickHouse query names.
pub const TABLE: &str = "request_response_rmt";

/// A field of `request_response_rmt` and the operator applied to it.
#[derive(Debug, Clone, PartialEq)]
pub enum Leaf {
    /// `request_id: {equals: ID}`
    RequestId(String),
    /// `request_created_at: {gte: RFC 3339}`
    CreatedSince(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Leaf(Leaf),
    Branch {
        left: Box<Filter>,
        operator: Operator,
        right: Box<Filter>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operator {
    And,
    Or,
}

impl Filter {
    /// Any of these request ids, as a balanced tree of `or` branches, so
    /// that a hundred ids nest seven levels deep, not a hundred. `None` for
    /// no ids: there is no filter that matches nothing.
    pub fn any_request_id(ids: &[String]) -> Option<Filter> {
        match ids {
            [] => None,
            [one] => Some(Filter::Leaf(Leaf::RequestId(one.clone()))),
            _ => {
                let (a, b) = ids.split_at(ids.len() / 2);
                Some(Filter::Branch {
                    left: Box::new(Filter::any_request_id(a)?),
                    operator: Operator::Or,
                    right: Box::new(Filter::any_request_id(b)?),
                })
            }
        }
    }

    pub fn and(self, other: Filter) -> Filter {
        Filter::Branch {
            left: Box::new(self),
            operator: Operator::And,
            right: Box::new(other),
        }
    }
}

/// `{OP: VALUE}`
struct Condition<'a>(&'static str, &'a str);

impl Serialize for Condition<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0, self.1)?;
        m.end()
    }
}

/// `{FIELD: {OP: VALUE}}`
struct Fields<'a>(&'a Leaf);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        match self.0 {
            Leaf::RequestId(id) => m.serialize_entry("request_id", &Condition("equals", id))?,
            Leaf::CreatedSince(t) => {
                m.serialize_entry("request_created_at", &Condition("gte", t))?
            }
        }
        m.end()
    }
}

impl Serialize for Filter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Filter::Leaf(leaf) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(TABLE, &Fields(leaf))?;
                m.end()
            }
            Filter::Branch {
                left,
                operator,
                right,
            } => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("left", left)?;
                m.serialize_entry("operator", operator)?;
                m.serialize_entry("right", right)?;
                m.end()
            }
        }
    }
}

/// The body of `POST /v1/request/query-clickhouse`.
#[derive(Debug, Serialize)]
pub struct Query<'a> {
    pub filter: &'a Filter,
    pub offset: u32,
    pub limit: u32,
    pub sort: Sort,
}

#[derive(Debug, Serialize)]
pub struct Sort {
    pub created_at: &'static str,
}

impl Sort {
    pub const NEWEST_FIRST: Sort = Sort { created_at: "desc" };
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_leaf_is_wrapped_in_its_table() {
        let f = Filter::Leaf(Leaf::RequestId("a".into()));
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            json!({"request_response_rmt": {"request_id": {"equals": "a"}}})
        );
        let f = Filter::any_request_id(&["b".into()])
            .unwrap()
            .and(Filter::Leaf(Leaf::CreatedSince(
                "2026-01-01T00:00:00Z".into(),
            )));
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            json!({"left": {"request_response_rmt": {"request_id": {"equals": "b"}}},
                   "operator": "and", "right":
                {"request_response_rmt": {"request_created_at": {"gte": "2026-01-01T00:00:00Z"}}}})
        );
    }

    #[test]
    fn many_ids_make_a_balanced_or_tree() {
        assert_eq!(Filter::any_request_id(&[]), None);
        let ids: Vec<String> = (0..100).map(|i| format!("id{i}")).collect();
        let f = Filter::any_request_id(&ids).unwrap();
        fn depth(f: &Filter) -> usize {
            match f {
                Filter::Branch { left, right, .. } => 1 + depth(left).max(depth(right)),
                _ => 0,
            }
        }
        assert_eq!(depth(&f), 7);
        let text = serde_json::to_string(&f).unwrap();
        for id in &ids {
            assert!(text.contains(&format!("{{\"equals\":\"{id}\"}}")), "{id}");
        }
        assert_eq!(text.matches("request_response_rmt").count(), 100);
        assert_eq!(text.matches("\"or\"").count(), 99);
        assert!(!text.contains("\"and\""));
    }
}
