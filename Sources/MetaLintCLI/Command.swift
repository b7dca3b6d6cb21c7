import Foundation

/// A subcommand: its help in one place and `run` returning the exit status (swift-argument-parser's shape).
protocol Command {
  static var name: String { get }
  static var abstract: String { get }
  static var usage: String { get }
  static var discussion: String { get }
  static func run(_ args: [String]) throws -> Int32
}

extension Command {
  static var help: String {
    var s = "OVERVIEW: \(abstract)\n\nUSAGE: \(usage)\n"
    if !discussion.isEmpty { s += "\n" + discussion + "\n" }
    return s
  }
}

/// A usage error: printed as `metalint: error: …` with exit status 2.
struct UsageError: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}

/// Minimal option parsing: `--flag`, `--option value`, `--option=value`, and positional arguments.
struct Options {
  var positional: [String] = []
  var values: [String: String] = [:]
  var flags: Set<String> = []

  init(_ args: [String], valued: Set<String>, flags known: Set<String>) throws {
    var i = 0
    var onlyPositional = false
    while i < args.count {
      let a = args[i]
      i += 1
      if onlyPositional || !a.hasPrefix("--") || a == "-" {
        if a.hasPrefix("-") && a.count > 1 && !onlyPositional && a != "-" {
          throw UsageError("unknown option '\(a)'")
        }
        positional.append(a)
        continue
      }
      if a == "--" {
        onlyPositional = true
        continue
      }
      var name = String(a.dropFirst(2))
      var value: String?
      if let eq = name.firstIndex(of: "=") {
        value = String(name[name.index(after: eq)...])
        name = String(name[..<eq])
      }
      if valued.contains(name) {
        if value == nil {
          guard i < args.count else { throw UsageError("option '--\(name)' needs a value") }
          value = args[i]
          i += 1
        }
        values[name] = value
      } else if known.contains(name) {
        if value != nil { throw UsageError("option '--\(name)' takes no value") }
        flags.insert(name)
      } else {
        throw UsageError("unknown option '--\(name)'")
      }
    }
  }

  func int(_ name: String) throws -> Int? {
    guard let v = values[name] else { return nil }
    guard let i = Int(v) else { throw UsageError("option '--\(name)' needs an integer, not '\(v)'") }
    return i
  }
}

/// Writes to standard error.
func printError(_ s: String) {
  FileHandle.standardError.write((s.hasSuffix("\n") ? s : s + "\n").data(using: .utf8)!)
}

/// Writes to standard output without buffering surprises.
func printOut(_ s: String) {
  FileHandle.standardOutput.write(s.data(using: .utf8)!)
}
