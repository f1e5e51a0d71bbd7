//! What the code around a match means, from one parsed tree: which import a name comes from
//! (`resolve`) and where a node sits (`context`: inside an `async def`, a request handler, a
//! scope with no `'error'` listener, a CPU-bound thread target...). It knows no rule: a rule's
//! TOML names a `ContextCheck` and its call lists, and `analyze::source` hands them in.
//! `scope` holds the tree-shape helpers both share.
pub mod context;
pub mod resolve;
mod scope;
