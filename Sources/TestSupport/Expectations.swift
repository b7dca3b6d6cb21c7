import Foundation
import ModelDSL

/// Expectations written inline in a fixture, on the line where a finding must be reported:
///
///     let y = shared_experts(x)   // expect: dropped-context
///     let z = k(x, 1, q: 3)       // expect: extra-argument "extra argument 'q'"
///     let c = use_m(  // expect: dropped-context #multi      (…with `// alt: #multi` on other lines: any of
///                                                             those lines is acceptable)
///
/// An `expect` clause ends at the next `//`, so one line may carry both `// expect: …` and `// alt: #id`.
///
/// `RULE|OTHER` accepts either rule; a quoted string must occur in the message.
public struct Expectation: Sendable, Hashable {
  public var line: Int
  public var rules: [String]
  public var messageSubstring: String?
  public var group: String?
}

public struct Expectations: Sendable {
  public var items: [Expectation] = []
  /// Lines (1-based) marked `// alt: #id`, by id.
  public var alternates: [String: [Int]] = [:]

  public init(source: String) {
    let lines = source.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    for (i, raw) in lines.enumerated() {
      let line = String(raw)
      if let r = line.range(of: "// expect:") {
        var rest = String(line[r.upperBound...])
        // The clause ends where another `//` comment begins (`// expect: X #a  // alt: #b`).
        if let next = rest.range(of: "//") { rest = String(rest[..<next.lowerBound]) }
        rest = rest.trimmingCharacters(in: .whitespaces)
        var message: String?
        if let q1 = rest.firstIndex(of: "\""), let q2 = rest[rest.index(after: q1)...].firstIndex(of: "\"") {
          message = String(rest[rest.index(after: q1)..<q2])
          rest.removeSubrange(q1...q2)
        }
        var group: String?
        var words = rest.split(separator: " ").map(String.init)
        if let g = words.firstIndex(where: { $0.hasPrefix("#") }) {
          group = String(words[g].dropFirst())
          words.remove(at: g)
        }
        for word in words where !word.isEmpty {
          for spec in word.split(separator: ",") where !spec.isEmpty {
            items.append(Expectation(line: i + 1, rules: spec.split(separator: "|").map(String.init),
                                     messageSubstring: message, group: group))
          }
        }
      }
      if let r = line.range(of: "// alt:") {
        for word in line[r.upperBound...].split(separator: " ") where word.hasPrefix("#") {
          alternates[String(word.dropFirst()), default: []].append(i + 1)
        }
      }
    }
  }

  /// A finding reduced to what expectations compare.
  public struct Found: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var rule: String
    public var message: String
    public init(line: Int, rule: String, message: String) {
      self.line = line
      self.rule = rule
      self.message = message
    }
    public var description: String { "line \(line): \(rule): \(message)" }
  }

  /// Failures (empty when the findings meet the expectations). `strict`: every finding must be expected, even
  /// on a line that carries an expectation; otherwise extra findings on such lines are tolerated (the
  /// conformance suite's rule).
  public func verify(_ found: [Found], strict: Bool) -> [String] {
    var remaining = found
    var failures: [String] = []
    var expectedLines = Set<Int>()
    for e in items {
      var lines = [e.line]
      if let g = e.group { lines += alternates[g] ?? [] }
      expectedLines.formUnion(lines)
      if let idx = remaining.firstIndex(where: { f in
        lines.contains(f.line) && e.rules.contains(f.rule) && (e.messageSubstring.map { f.message.contains($0) } ?? true)
      }) {
        remaining.remove(at: idx)
      } else {
        let msg = e.messageSubstring.map { " with message containing \"\($0)\"" } ?? ""
        failures.append("line \(e.line): expected \(e.rules.joined(separator: "|"))\(msg), found none")
      }
    }
    for f in remaining where strict || !expectedLines.contains(f.line) {
      failures.append("unexpected finding: \(f)")
    }
    return failures
  }
}
