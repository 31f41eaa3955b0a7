//! The parse tree, as client-go's `util/jsonpath/node.go` names it.

/// One node of a template. A template is a list of `Text` and `List` nodes: each `{…}` is
/// a `List` of the steps inside it.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    List(Vec<Node>),
    Text(String),
    Field(String),
    /// `range` and `end`; any other word is an error only when evaluated, as upstream.
    Identifier(String),
    Array([Param; 3]),
    Filter(Box<Filter>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
}

/// One of `[start:end:step]`. `derived` marks the end of `[N]`, which is `N + 1`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Param {
    pub value: i64,
    pub known: bool,
    pub derived: bool,
}

/// `[?(left OP right)]`, or `[?(left)]` with operator `exists`.
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub left: Vec<Node>,
    pub right: Vec<Node>,
    pub operator: String,
}
