import Foundation
import MetaCore

/// Which rules run and how severe they are: from `.metalint.json` (found upward from the checked paths) and
/// the command line, the command line winning.
///
///     { "select": ["dropped-context"], "ignore": ["argument-order"], "strict": true,
///       "severity": { "dropped-unused-context": "error" } }
public struct Configuration: Sendable, Equatable {
  /// Rules to run; nil means all.
  public var select: Set<String>?
  public var ignore: Set<String> = []
  /// Warnings fail the run too.
  public var strict = false
  public var severities: [String: Severity] = [:]

  public init() {}

  public struct LoadError: Error, CustomStringConvertible {
    public let description: String
  }

  /// The rules that run.
  public var enabledRules: [Rule] {
    Registry.rules.filter { (select?.contains($0.id) ?? true) && !ignore.contains($0.id) }
  }

  public func severity(of rule: String) -> Severity {
    severities[rule] ?? Registry.rule(rule)?.defaultSeverity ?? .error
  }

  /// Checks that every named rule exists.
  public func validate() throws {
    for id in (select ?? []).union(ignore).union(severities.keys) where Registry.rule(id) == nil {
      throw LoadError(description: "unknown rule '\(id)'; 'metalint rules' lists them")
    }
  }

  /// Parses a comma-separated rule list from the command line.
  public static func ruleList(_ text: String) -> Set<String> {
    Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
  }

  /// Finds `.metalint.json` in `directory` or its ancestors.
  public static func find(from directory: String) -> String? {
    var url = URL(fileURLWithPath: directory).standardizedFileURL
    while true {
      let candidate = url.appendingPathComponent(".metalint.json").path
      if FileManager.default.fileExists(atPath: candidate) { return candidate }
      let parent = url.deletingLastPathComponent()
      if parent.path == url.path { return nil }
      url = parent
    }
  }

  /// Loads a project file.
  public static func load(path: String) throws -> Configuration {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LoadError(description: "\(path): cannot read configuration file")
    }
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw LoadError(description: "\(path): invalid JSON in configuration file")
    }
    guard let dict = object as? [String: Any] else {
      throw LoadError(description: "\(path): the configuration must be a JSON object")
    }
    var config = Configuration()
    for (key, value) in dict {
      switch key {
      case "select", "ignore":
        guard let list = value as? [String] else {
          throw LoadError(description: "\(path): '\(key)' must be a list of rule identifiers")
        }
        if key == "select" { config.select = Set(list) } else { config.ignore = Set(list) }
      case "strict":
        guard let b = jsonBool(value) else { throw LoadError(description: "\(path): 'strict' must be true or false") }
        config.strict = b
      case "severity":
        guard let map = value as? [String: String] else {
          throw LoadError(description: "\(path): 'severity' must map rule identifiers to \"error\", \"warning\" or \"note\"")
        }
        for (rule, s) in map {
          guard let sev = Severity(rawValue: s) else {
            throw LoadError(description: "\(path): severity of '\(rule)' must be \"error\", \"warning\" or \"note\", not \"\(s)\"")
          }
          config.severities[rule] = sev
        }
      default:
        throw LoadError(description: "\(path): unknown key '\(key)' (expected select, ignore, strict, severity)")
      }
    }
    do {
      try config.validate()
    } catch let e as LoadError {
      throw LoadError(description: "\(path): \(e.description)")
    }
    return config
  }

  /// A JSON `true` or `false`, and nothing else: Foundation bridges the numbers 0 and 1 to `Bool` too, so
  /// `value as? Bool` would take `"strict": 1`.
  static func jsonBool(_ value: Any) -> Bool? {
    guard let n = value as? NSNumber, type(of: n) == type(of: NSNumber(value: true)) else { return nil }
    return n.boolValue
  }
}
