import MetaLint
import MetaLintDriver

/// `metalint rules`: every rule with its severity and summary.
enum RulesCommand: Command {
  static let name = "rules"
  static let abstract = "List every rule with its default severity and summary."
  static let usage = "metalint rules"
  static let discussion = ""

  static func run(_ args: [String]) throws -> Int32 {
    let o = try Options(args, valued: [], flags: [])
    guard o.positional.isEmpty else { throw UsageError("'rules' takes no arguments") }
    let width = Registry.rules.map { $0.id.count }.max() ?? 0
    var out = ""
    for r in Registry.rules {
      let pad = String(repeating: " ", count: width - r.id.count)
      let sev = r.defaultSeverity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
      out += "\(r.id)\(pad)  \(sev) \(r.fixable ? "[fix] " : "      ")\(r.summary)\n"
    }
    printOut(out)
    return 0
  }
}

/// `metalint explain RULE`: a rule's documentation.
enum ExplainCommand: Command {
  static let name = "explain"
  static let abstract = "Print a rule's documentation: what it flags, why, an example, the fix."
  static let usage = "metalint explain RULE"
  static let discussion = ""

  static func run(_ args: [String]) throws -> Int32 {
    let o = try Options(args, valued: [], flags: [])
    guard o.positional.count == 1 else { throw UsageError("'explain' takes one rule identifier") }
    guard let r = Registry.rule(o.positional[0]) else {
      throw UsageError("unknown rule '\(o.positional[0])'; 'metalint rules' lists them")
    }
    printOut("""
      \(r.id) (\(r.defaultSeverity.rawValue)\(r.fixable ? ", fixable" : ""))

      \(r.summary)

      What it does
        \(r.doc.whatItDoes)

      Why it matters
        \(r.doc.whyItMatters)

      Example
      \(r.doc.example.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))

      Fix
        \(r.doc.fix)

      """)
    return 0
  }
}
