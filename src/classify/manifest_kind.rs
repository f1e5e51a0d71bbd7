//! Which dependency manifest a file is, from its name and directory alone (no read), and
//! whether its directory is a component. The readers themselves live in `analyze::manifest`.

/// The manifest formats stackfit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    PackageJson,
    PnpmWorkspace,
    Requirements,
    Pyproject,
    SetupCfg,
    SetupPy,
    Pipfile,
    Conda,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::PackageJson => "package.json",
            Format::PnpmWorkspace => "pnpm-workspace.yaml",
            Format::Requirements => "requirements",
            Format::Pyproject => "pyproject.toml",
            Format::SetupCfg => "setup.cfg",
            Format::SetupPy => "setup.py",
            Format::Pipfile => "Pipfile",
            Format::Conda => "conda environment",
        }
    }

    /// Whether a directory holding this manifest is a component (a package or service).
    pub fn declares_component(self, rel: &str) -> bool {
        match self {
            Format::PackageJson
            | Format::Pyproject
            | Format::SetupCfg
            | Format::SetupPy
            | Format::Pipfile => true,
            // `requirements/dev.txt` belongs to the directory above, not to `requirements/`.
            Format::Requirements => !in_requirements_dir(rel),
            Format::PnpmWorkspace | Format::Conda => false,
        }
    }
}

fn in_requirements_dir(rel: &str) -> bool {
    rel.rsplit('/')
        .nth(1)
        .is_some_and(|d| d.eq_ignore_ascii_case("requirements"))
}

/// The manifest format of a file, from its name (and, for requirements, its directory).
pub fn format_of(name: &str, rel: &str) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "package.json" => return Some(Format::PackageJson),
        "pnpm-workspace.yaml" => return Some(Format::PnpmWorkspace),
        "pyproject.toml" => return Some(Format::Pyproject),
        "setup.cfg" => return Some(Format::SetupCfg),
        "setup.py" => return Some(Format::SetupPy),
        "pipfile" => return Some(Format::Pipfile),
        "environment.yml" | "environment.yaml" | "conda.yml" | "conda.yaml" => {
            return Some(Format::Conda)
        }
        _ => {}
    }
    if is_requirements_name(&lower, rel) {
        return Some(Format::Requirements);
    }
    None
}

/// `requirements*.txt`, `*-requirements.txt`, `requirements*.in`, or any `.txt`/`.in` file
/// in a `requirements/` directory.
pub fn is_requirements_name(lower: &str, rel: &str) -> bool {
    let (stem, ext) = match lower.rsplit_once('.') {
        Some(x) => x,
        None => return false,
    };
    if ext != "txt" && ext != "in" {
        return false;
    }
    stem.starts_with("requirements")
        || stem.ends_with("-requirements")
        || stem.ends_with("_requirements")
        || in_requirements_dir(rel)
}
