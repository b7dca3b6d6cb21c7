import MetaCore

/// A rule's documentation, in ruff's template: what it flags, why that is a bug, an example, the fix.
public struct RuleDoc: Sendable {
  public var whatItDoes: String
  public var whyItMatters: String
  public var example: String
  public var fix: String
}

/// A check as a plain value (go/analysis style): an identifier, a default severity, its doc, and `run`, which
/// reads the shared `Pass` and reports findings.
public struct Rule: Sendable {
  public let id: String
  public let defaultSeverity: Severity
  /// One line for `metalint rules` and SARIF `shortDescription`.
  public let summary: String
  public let doc: RuleDoc
  /// Whether findings of this rule carry a fix-it.
  public let fixable: Bool
  public let run: @Sendable (Pass) -> Void

  public init(id: String, defaultSeverity: Severity, summary: String, doc: RuleDoc, fixable: Bool,
              run: @escaping @Sendable (Pass) -> Void) {
    self.id = id
    self.defaultSeverity = defaultSeverity
    self.summary = summary
    self.doc = doc
    self.fixable = fixable
    self.run = run
  }
}
