import Foundation
import Testing
import TestSupport

/// `check` prints the same bytes whatever the number of workers: `METALINT_WORKERS` (read by
/// `Parallel.workerCount(default:)`, under every `parallelMap`) forces one worker or four on every parallel
/// path (reading files, parsing, checking method bodies, call analysis), past their size thresholds.
@Suite struct ParallelCheckTests {
  static let copies = 12

  /// `copies` renamed copies of the seed pull request's `before/` and `review/` states (each its own file,
  /// every top-level name suffixed per copy and state): 264 files of about 18,000 lines, enough to take the
  /// parallel paths by size too (64 files, 64 methods), with 17 findings per copy, notes and fixes included.
  static func corpus() throws -> TempDir {
    let seed = Metalint.root.appendingPathComponent("fixtures/seed-pr")
    let dir = try TempDir()
    for state in ["before", "review"] {
      let files = FixtureRunner.files(under: seed.appendingPathComponent(state)).filter { $0.hasSuffix(".mdl") }
      let texts = try files.map { try String(contentsOf: seed.appendingPathComponent(state).appendingPathComponent($0),
                                             encoding: .utf8) }
      let names = Set(texts.flatMap(declaredNames))
      for copy in 0..<copies {
        for (name, text) in zip(files, texts) {
          try dir.write("c\(copy)/\(state)_\(name)", renamed(text, names, suffix: "_\(state.prefix(1))\(copy)"))
        }
      }
    }
    return dir
  }

  /// The names a file declares at top level: `config`, `context`, `layer`, `model`, `extern func`.
  static func declaredNames(_ text: String) -> [String] {
    text.split(separator: "\n").compactMap { line in
      let words = line.split(separator: " ", maxSplits: 2)
      guard words.count >= 2 else { return nil }
      let word: Substring
      switch words[0] {
      case "config", "context", "layer", "model": word = words[1]
      case "extern" where words[1] == "func" && words.count == 3: word = words[2]
      default: return nil
      }
      let name = word.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
      return name.isEmpty ? nil : String(name)
    }
  }

  /// `text` with every whole-word occurrence of `names` suffixed.
  static func renamed(_ text: String, _ names: Set<String>, suffix: String) -> String {
    var out = ""
    var word = ""
    func flush() {
      out += word
      if names.contains(word) { out += suffix }
      word = ""
    }
    for c in text {
      if c.isLetter || c.isNumber || c == "_" {
        word.append(c)
      } else {
        flush()
        out.append(c)
      }
    }
    flush()
    return out
  }

  @Test func resultsDoNotDependOnThreads() throws {
    let dir = try Self.corpus()
    defer { dir.remove() }
    let args = ["check", "--format", "json", "."]
    let one = Metalint.run(args, in: dir.url, env: ["METALINT_WORKERS": "1"])
    let four = Metalint.run(args, in: dir.url, env: ["METALINT_WORKERS": "4"])
    #expect(one.status == 1, "\(one)")
    // Every copy reports what the seed states report (README: 11 + 6 findings).
    let rules = one.stdout.components(separatedBy: "\"rule\": \"")
    #expect(rules.count - 1 == 17 * Self.copies)
    #expect(rules.filter { $0.hasPrefix("unthreaded-context\"") }.count == 11 * Self.copies)
    #expect(one == four, "METALINT_WORKERS=1 and =4 differ: \(Golden.firstDifference(one.stdout, four.stdout))")
    let unset = Metalint.run(args, in: dir.url)
    #expect(one == unset, "METALINT_WORKERS=1 and unset differ: \(Golden.firstDifference(one.stdout, unset.stdout))")
  }
}
