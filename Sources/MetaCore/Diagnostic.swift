/// How serious a finding is. Configuration may change a rule's default.
public enum Severity: String, Sendable, Comparable, CaseIterable {
  case note, warning, error

  public static func < (a: Severity, b: Severity) -> Bool {
    let order: [Severity] = [.note, .warning, .error]
    return order.firstIndex(of: a)! < order.firstIndex(of: b)!
  }
}

/// Replace the bytes of `range` with `replacement`. Edits of one fix never overlap.
public struct TextEdit: Hashable, Sendable {
  public var range: SourceRange
  public var replacement: String

  public init(range: SourceRange, replacement: String) {
    self.range = range
    self.replacement = replacement
  }
}

/// Whether a fix may be applied without a human looking (ruff's meaning): a safe fix cannot change what
/// the program computes beyond what the finding describes.
public enum FixSafety: String, Sendable {
  case safe, unsafe
}

/// A change that resolves a finding: what it means (`intents`, decided by the rules on the checked model)
/// and the text edits a front end rendered them into, possibly in several files.
public struct FixIt: Sendable, Hashable {
  public var message: String
  public var edits: [TextEdit]
  public var safety: FixSafety
  /// What the fix does, language-neutral; `edits` is their rendering in the file's own syntax.
  public var intents: [FixIntent]

  public init(message: String, edits: [TextEdit], safety: FixSafety) {
    self.message = message
    self.edits = edits
    self.safety = safety
    self.intents = []
  }

  public init(message: String, intents: [FixIntent], safety: FixSafety) {
    self.message = message
    self.edits = []
    self.safety = safety
    self.intents = intents
  }
}

/// A secondary message with its own location, such as "'forward' declared here".
public struct Note: Sendable, Hashable {
  public var message: String
  public var range: SourceRange?

  public init(_ message: String, at range: SourceRange? = nil) {
    self.message = message
    self.range = range
  }
}

/// One finding: a rule, a severity, where, what, and how to fix it.
public struct Diagnostic: Sendable, Hashable {
  public var severity: Severity
  /// The stable rule identifier (`dropped-context`, `unresolved`, …).
  public var rule: String
  /// Where the finding is reported; the caret goes under this range.
  public var range: SourceRange
  /// A terse lowercase phrase, no trailing period, code in single quotes.
  public var message: String
  public var notes: [Note]
  public var fixIts: [FixIt]

  public init(
    _ severity: Severity, rule: String, at range: SourceRange, _ message: String,
    notes: [Note] = [], fixIts: [FixIt] = []
  ) {
    self.severity = severity
    self.rule = rule
    self.range = range
    self.message = message
    self.notes = notes
    self.fixIts = fixIts
  }
}
