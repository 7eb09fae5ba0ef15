//! Applicability: which controls apply only to some organisations, and the scope settings that
//! say whether the organisation is one of them.
//!
//! `frameworks/applicability.csv` defines, per framework, the settings a scope may give under
//! `[applicability.<framework>]` and the values each takes. A value may carry a *condition*
//! (a kebab-case token such as `service-provider` or `availability`); a control whose
//! `applies_to` column names that condition applies only when the scope chooses the value. A
//! setting whose only value is `true` is a yes/no switch (`multi-tenant-provider = true`).

use serde::Serialize;

/// One value a scope setting may take, and the condition choosing it makes true.
#[derive(Debug, Clone, Serialize)]
pub struct SettingValue {
    /// The framework the setting belongs to (`pci-dss-4.0.1`).
    pub framework: String,
    /// The key under `[applicability.<framework>]` (`entity`, `categories`, `designated-entity`).
    pub setting: String,
    /// The value (`merchant`, `service-provider`, `availability`; `true` for a switch).
    pub value: String,
    /// The condition this value makes true (empty: the value brings in no extra control).
    pub condition: String,
    /// Who the value describes and what it brings in, in our own words; the Statement of
    /// Applicability quotes it for every control the condition decides.
    pub description: String,
    /// Line of the row in its file.
    #[serde(skip)]
    pub line: u64,
}

impl SettingValue {
    /// Whether this value belongs to a yes/no switch.
    pub fn is_switch(&self) -> bool {
        self.value == "true"
    }
}

/// Every setting value of every framework, in file order.
#[derive(Debug, Clone, Default)]
pub struct Applicability {
    values: Vec<SettingValue>,
}

impl Applicability {
    pub fn new(values: Vec<SettingValue>) -> Self {
        Applicability { values }
    }

    /// Every value, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &SettingValue> {
        self.values.iter()
    }

    /// The values of one framework, in file order.
    pub fn of<'a>(&'a self, framework: &str) -> impl Iterator<Item = &'a SettingValue> + 'a {
        let framework = framework.to_string();
        self.values.iter().filter(move |v| v.framework == framework)
    }

    /// The settings of one framework, each once, in file order.
    pub fn settings(&self, framework: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for v in self.of(framework) {
            if !out.contains(&v.setting.as_str()) {
                out.push(&v.setting);
            }
        }
        out
    }

    /// The values one setting of one framework may take, in file order.
    pub fn values<'a>(
        &'a self,
        framework: &str,
        setting: &str,
    ) -> impl Iterator<Item = &'a SettingValue> + 'a {
        let setting = setting.to_string();
        self.of(framework).filter(move |v| v.setting == setting)
    }

    /// Whether a setting is a yes/no switch (its only value is `true`).
    pub fn is_switch(&self, framework: &str, setting: &str) -> bool {
        let mut vals = self.values(framework, setting).peekable();
        vals.peek().is_some() && vals.all(SettingValue::is_switch)
    }

    /// The value that makes `condition` true in `framework`.
    pub fn condition(&self, framework: &str, condition: &str) -> Option<&SettingValue> {
        self.of(framework)
            .find(|v| !v.condition.is_empty() && v.condition == condition)
    }

    /// The conditions defined for a framework, in file order.
    pub fn conditions(&self, framework: &str) -> Vec<&str> {
        self.of(framework)
            .filter(|v| !v.condition.is_empty())
            .map(|v| v.condition.as_str())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}
