//! The recognisers of the context checks, as data: `queries/context.toml` (startup words,
//! server frameworks, handler methods, I/O and GIL-releasing calls). Adding a framework or a
//! startup word is an edit there, not here. The file is embedded and parsed once; a unit test
//! checks that it parses and that no list is empty, so a broken edit fails `cargo test`.
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Lists {
    pub serving: Serving,
    pub handlers: Handlers,
    pub threads: Threads,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Serving {
    pub startup_words: Vec<String>,
    pub startup_verbs: Vec<String>,
    pub startup_alone_verbs: Vec<String>,
    pub startup_unprefixed_verbs: Vec<String>,
    pub startup_object_verbs: Vec<String>,
    pub startup_objects: Vec<String>,
    pub startup_events: Vec<String>,
    pub startup_decorators: Vec<String>,
    pub plain_decorators: Vec<String>,
    pub py_runners: Vec<String>,
    pub py_server_modules: Vec<String>,
    pub py_server_calls: Vec<String>,
    pub js_frameworks: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Handlers {
    pub sync_iteration: Vec<String>,
    pub route_methods: Vec<String>,
    pub handler_events: Vec<String>,
    pub route_receivers: Vec<String>,
    pub socket_receivers: Vec<String>,
    pub node_server_modules: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Threads {
    pub io_calls: Vec<String>,
    pub gil_releasing_modules: Vec<String>,
    pub pure_modules: Vec<String>,
    pub pure_builtins: Vec<String>,
    pub pure_methods: Vec<String>,
}

const EMBEDDED: &str = include_str!("../../../queries/context.toml");

fn parse() -> Result<Lists, String> {
    toml::from_str(EMBEDDED).map_err(|e| format!("queries/context.toml: {e}"))
}

/// The lists, parsed on first use. The file is part of the binary and checked by the tests;
/// were it ever broken, every list would be empty: the checks then recognise nothing, which
/// leaves code judged as before the recognisers existed rather than crashing a scan.
pub(super) fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| parse().unwrap_or_default())
}

/// Whether `list` holds `x`.
pub(super) fn has(list: &[String], x: &str) -> bool {
    list.iter().any(|s| s == x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_toml_parses_and_no_list_is_empty() {
        let l = parse().unwrap_or_else(|e| panic!("{e}"));
        let all: Vec<(&str, &Vec<String>)> = vec![
            ("startup_words", &l.serving.startup_words),
            ("startup_verbs", &l.serving.startup_verbs),
            ("startup_alone_verbs", &l.serving.startup_alone_verbs),
            (
                "startup_unprefixed_verbs",
                &l.serving.startup_unprefixed_verbs,
            ),
            ("startup_object_verbs", &l.serving.startup_object_verbs),
            ("startup_objects", &l.serving.startup_objects),
            ("startup_events", &l.serving.startup_events),
            ("startup_decorators", &l.serving.startup_decorators),
            ("plain_decorators", &l.serving.plain_decorators),
            ("py_runners", &l.serving.py_runners),
            ("py_server_modules", &l.serving.py_server_modules),
            ("py_server_calls", &l.serving.py_server_calls),
            ("js_frameworks", &l.serving.js_frameworks),
            ("sync_iteration", &l.handlers.sync_iteration),
            ("route_methods", &l.handlers.route_methods),
            ("handler_events", &l.handlers.handler_events),
            ("route_receivers", &l.handlers.route_receivers),
            ("socket_receivers", &l.handlers.socket_receivers),
            ("node_server_modules", &l.handlers.node_server_modules),
            ("io_calls", &l.threads.io_calls),
            ("gil_releasing_modules", &l.threads.gil_releasing_modules),
            ("pure_modules", &l.threads.pure_modules),
            ("pure_builtins", &l.threads.pure_builtins),
            ("pure_methods", &l.threads.pure_methods),
        ];
        for (name, list) in all {
            assert!(!list.is_empty(), "{name} is empty");
            assert!(
                list.iter().all(|s| !s.trim().is_empty()),
                "{name} has a blank entry"
            );
        }
        assert!(has(&l.threads.gil_releasing_modules, "numpy"));
    }
}
