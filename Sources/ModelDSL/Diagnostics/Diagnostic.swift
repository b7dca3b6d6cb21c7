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

/// A change that resolves a finding: one or more edits, possibly in several files.
public struct FixIt: Sendable, Hashable {
  public var message: String
  public var edits: [TextEdit]
  public var safety: FixSafety

  public init(message: String, edits: [TextEdit], safety: FixSafety) {
    self.message = message
    self.edits = edits
    self.safety = safety
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

/// Collects diagnostics; the parser and checker append, never throw.
public struct DiagnosticBag: Sendable {
  public private(set) var items: [Diagnostic] = []

  public init() {}

  public mutating func append(_ d: Diagnostic) { items.append(d) }

  public mutating func error(_ rule: String = "unresolved", at range: SourceRange, _ message: String,
                             notes: [Note] = []) {
    items.append(Diagnostic(.error, rule: rule, at: range, message, notes: notes))
  }

  public mutating func append(contentsOf other: [Diagnostic]) { items.append(contentsOf: other) }

  public var hasErrors: Bool { items.contains { $0.severity == .error } }
}
