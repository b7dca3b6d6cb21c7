import Foundation
import MetaLint
import ModelDSL

/// The settings file a run uses and the directory paths are keyed on.
///
/// Every PATH takes the nearest `.metalint.json` above it (for a file, above its directory); one run has one
/// configuration, so PATHs that resolve to different settings files are refused rather than checked with
/// the first one's (which made `check A B` and `check B A` differ).
struct Settings {
  /// The settings file in effect, or nil for the defaults.
  var file: String?
  /// Where baseline paths are relative to: the settings file's directory, else the git repository root.
  var base: String?

  static func resolve(_ paths: [String], stdinName: String?) throws -> Settings {
    var found: [(path: String, file: String?)] = []
    var firstStart: String?
    for p in paths.isEmpty ? ["."] : paths {
      let shown = p == "-" ? (stdinName ?? "-") : p
      let start = p == "-" ? (stdinName.map(PathText.directory(of:)) ?? ".")
        : PathText.isDirectory(p) ? p : PathText.directory(of: p)
      // A PATH that does not exist is reported by the file walk, with its own message.
      guard PathText.isDirectory(start) else { continue }
      if firstStart == nil { firstStart = start }
      found.append((shown, Configuration.find(from: start).map { PathText.real($0) ?? $0 }))
    }
    if let first = found.first, let other = found.first(where: { $0.file != first.file }) {
      func name(_ f: String?) -> String { f.map { "'\($0)'" } ?? "no settings file" }
      throw UsageError("'\(first.path)' takes its settings from \(name(first.file)) but '\(other.path)' from "
        + "\(name(other.file)); check them in separate runs")
    }
    let file = found.first?.file ?? nil
    let base = file.map(PathText.directory(of:)) ?? gitRoot(from: PathText.real(firstStart ?? ".") ?? ".")
    return Settings(file: file, base: base)
  }

  /// The nearest directory at or above `dir` holding `.git`.
  static func gitRoot(from dir: String) -> String? {
    var d = dir
    while true {
      var st = stat()
      if stat(d + "/.git", &st) == 0 { return d }
      let parent = PathText.directory(of: d)
      if parent == d { return nil }
      d = parent
    }
  }

  /// The baseline's name for a file: its path relative to `base` when it lies below it, else as given.
  var baselineKey: @Sendable (String) -> String {
    guard let base else { return { $0 } }
    return { path in
      guard !path.hasPrefix("<"), let dir = PathText.real(PathText.directory(of: path)) else { return path }
      let name = path.split(separator: "/").last.map(String.init) ?? path
      let absolute = (dir == "/" ? "" : dir) + "/" + name
      let prefix = base == "/" ? "/" : base + "/"
      return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : path
    }
  }

  /// The findings of the named files only (by path), counted as the files checked.
  static func reportedOnly(_ result: LintResult, named: Set<String>) -> LintResult {
    var out = result.with(findings: result.findings.filter { named.contains(result.sources.file($0.range).path) })
    out.reportedFileCount = named.count
    return out
  }
}
