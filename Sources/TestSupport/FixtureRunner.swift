import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL

/// Runs `check` on fixture files in-process and compares the findings with their inline expectations.
public enum FixtureRunner {
  /// The repository root, found from a test file's `#filePath`.
  public static func repoRoot(_ filePath: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: filePath)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return url
  }

  /// Every `.mdl` file under a directory, relative paths sorted.
  public static func files(under dir: URL) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return [] }
    var out: [String] = []
    while let rel = walker.nextObject() as? String { if rel.hasSuffix(".mdl") { out.append(rel) } }
    return out.sorted()
  }

  /// Checks files together as one program and returns its findings as `Found`, by file path.
  public static func findings(_ paths: [URL], configuration: Configuration = Configuration())
    -> (LintResult, [String: [Expectations.Found]]) {
    let files = paths.map { (path: $0.path, bytes: [UInt8]((try? Data(contentsOf: $0)) ?? Data())) }
    let result = Linter.check(files: files, configuration: configuration)
    var byFile: [String: [Expectations.Found]] = [:]
    for d in result.findings {
      let loc = result.program.sources.location(d.range)
      byFile[loc.path, default: []].append(Expectations.Found(line: loc.line, rule: d.rule, message: d.message))
    }
    return (result, byFile)
  }

  /// Failures of one fixture file checked on its own.
  public static func verify(_ file: URL, strict: Bool) -> [String] {
    let (_, byFile) = findings([file])
    let source = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
    return Expectations(source: source).verify(byFile[file.path] ?? [], strict: strict)
  }
}
