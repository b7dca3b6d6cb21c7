import Foundation
import MetaCore

/// Known findings to leave out, so a code base can adopt metalint and fail only on new ones (SwiftLint's
/// design): a finding is matched on file, rule, message and the text of its line with spacing collapsed,
/// never the line number, so edits elsewhere in the file do not revive it; each entry absorbs as many findings
/// as it counts.
public struct Baseline: Sendable, Equatable {
  public struct Key: Hashable, Sendable, Comparable {
    public var file: String
    public var rule: String
    public var message: String
    public var lineText: String

    public static func < (a: Key, b: Key) -> Bool {
      (a.file, a.rule, a.lineText, a.message) < (b.file, b.rule, b.lineText, b.message)
    }
  }

  public private(set) var counts: [Key: Int] = [:]

  public init() {}

  static func key(_ d: Diagnostic, _ sources: SourceManager, fileKey: (String) -> String = { $0 }) -> Key {
    let file = sources.file(d.range)
    let line = file.lineIndex(of: Int(d.range.start))
    let text = file.lineText(line).split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    return Key(file: fileKey(file.path), rule: d.rule, message: d.message, lineText: text)
  }

  /// The baseline of a result's findings, each file recorded as `fileKey` names it (the caller makes paths
  /// independent of the directory metalint runs in).
  public init(_ result: LintResult, fileKey: (String) -> String = { $0 }) {
    for d in result.findings { counts[Baseline.key(d, result.sources, fileKey: fileKey), default: 0] += 1 }
  }

  /// The findings the baseline does not cover. An entry matches the file as `fileKey` names it or, for
  /// baselines written before paths were keyed, as it was given.
  public func filter(_ result: LintResult, fileKey: (String) -> String = { $0 }) -> LintResult {
    var left = counts
    let kept = result.findings.filter { d in
      for k in [Baseline.key(d, result.sources, fileKey: fileKey), Baseline.key(d, result.sources)] {
        guard let n = left[k], n > 0 else { continue }
        left[k] = n - 1
        return false
      }
      return true
    }
    return result.with(findings: kept)
  }

  public struct FormatError: Error, CustomStringConvertible {
    public let description: String
  }

  /// `{"version": 1, "findings": [{"file", "rule", "message", "line_text", "count"}]}`, sorted.
  public func serialized() -> String {
    let items: [JSONValue] = counts.keys.sorted().map { k in
      .object([("file", .string(k.file)), ("rule", .string(k.rule)), ("message", .string(k.message)),
               ("line_text", .string(k.lineText)), ("count", .int(counts[k]!))])
    }
    return JSONValue.object([("version", .int(1)), ("findings", .array(items))]).serialized() + "\n"
  }

  public init(contentsOf path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FormatError(description: "\(path): cannot read baseline")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let items = object["findings"] as? [[String: Any]] else {
      throw FormatError(description: "\(path): not a metalint baseline (expected {\"version\": 1, \"findings\": […]})")
    }
    for (i, item) in items.enumerated() {
      guard let file = item["file"] as? String, let rule = item["rule"] as? String,
            let message = item["message"] as? String, let text = item["line_text"] as? String else {
        throw FormatError(description: "\(path): entry \(i + 1) needs file, rule, message and line_text")
      }
      let count = (item["count"] as? Int) ?? 1
      counts[Key(file: file, rule: rule, message: message, lineText: text), default: 0] += max(1, count)
    }
  }
}
