import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL

/// `metalint fix`: apply fixes in place, or print them with `--diff`.
enum FixCommand: Command {
  static let name = "fix"
  static let abstract = "Apply the fixes of findings in place (the whole context-threading refactoring)."
  static let usage = "metalint fix [PATH…] [--diff] [--unsafe-fixes] [--select RULES] [--ignore RULES]"
  static let discussion = """
    Applies safe fixes (with --unsafe-fixes, the rest too), re-checks, and repeats until nothing fixable is
    left: adding a missing context parameter to a method makes its callers pass it, up to the methods nothing
    in the program calls. Edits are lossless: bytes outside the edited ranges stay as they were. Files are
    replaced atomically; a file that changed on disk since it was read is not written, and a fix that would
    leave a syntax or type error is not written at all. Every file to change must be writable (and its
    directory, for the replacement) before any is written: a read-only file is an error, not overwritten. If
    a write still fails, the files written and those not are listed.

    --diff prints a unified diff and writes nothing.

    EXIT STATUS: 0 nothing left to report (with --diff: nothing to fix); 1 findings remain (with --diff:
    something to fix); 2 the command could not do its work.
    """

  static func run(_ args: [String]) throws -> Int32 {
    let o = try Options(args, valued: ["select", "ignore"], flags: ["diff", "unsafe-fixes", "no-color"])
    let config = try CheckCommand.configuration(o, settings: Settings.resolve(o.positional, stdinName: nil))
    let files = try Inputs.collect(o.positional)
    let outcome = Fixer.fix(files: files, configuration: config,
                            options: Fixer.Options(unsafeFixes: o.flags.contains("unsafe-fixes")))
    if let refusal = outcome.refusal {
      throw UsageError(refusal + "; no file was written")
    }
    if !outcome.converged {
      printError("metalint: warning: fixes did not converge after \(outcome.rounds) rounds; applying what was done")
    }
    let originals = Dictionary(files.map { ($0.path, $0.bytes) }, uniquingKeysWith: { a, _ in a })
    let paths = outcome.changed.keys.sorted()
    if o.flags.contains("diff") {
      var out = ""
      for p in paths { out += UnifiedDiff.diff(old: originals[p]!, new: outcome.changed[p]!, path: p) }
      printOut(out)
      return paths.isEmpty ? 0 : 1
    }
    // Every target is checked before any is written, so a read-only file or directory refuses the whole fix.
    let refusals = paths.compactMap { p in FixTargets.problem(p).map { "cannot write '\(p)': \($0)" } }
    if !refusals.isEmpty {
      for r in refusals { printError("metalint: error: \(r)") }
      printError("metalint: error: no file was written")
      return 2
    }
    var written: [String] = []
    for (i, p) in paths.enumerated() {
      do {
        try SafeWriter.write(outcome.changed[p]!, to: p, expectedOriginal: originals[p]!,
                             beforeRename: FixTargets.testPause)
        written.append(p)
      } catch {
        printError("metalint: error: \(error)")
        printError("metalint: note: written: " + (written.isEmpty ? "none" : written.joined(separator: ", ")))
        printError("metalint: note: not written: " + paths[i...].joined(separator: ", "))
        return 2
      }
    }
    var out = ""
    for f in outcome.fixed { out += "fixed: \(f.path):\(f.line): \(f.message) [\(f.rule)]\n" }
    let n = outcome.fixed.count
    out += "fixed \(n) finding\(n == 1 ? "" : "s") in \(paths.count) file\(paths.count == 1 ? "" : "s")"
    out += " (\(outcome.rounds) round\(outcome.rounds == 1 ? "" : "s"))\n"
    if !outcome.remaining.findings.isEmpty {
      out += "remaining:\n" + TextReporter.render(outcome.remaining, color: false)
    }
    printOut(out)
    return outcome.remaining.findings.isEmpty ? 0 : 1
  }
}

/// Whether the files `fix` would change may be written.
enum FixTargets {
  /// Why `path` may not be replaced, in the system's words, or nil when it may. A file nobody may write
  /// (mode 0444) is read-only by intent and refused even for root, for whom `access` always succeeds.
  static func problem(_ path: String) -> String? {
    var st = stat()
    guard stat(path, &st) == 0 else { return SafeWriter.reason() }
    if access(path, W_OK) != 0 { return SafeWriter.reason() }
    if st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH) == 0 { return SafeWriter.reason(EACCES) }
    // The replacement is a new file renamed into the directory.
    if access(PathText.directory(of: path), W_OK | X_OK) != 0 { return SafeWriter.reason() }
    return nil
  }

  /// The end-to-end tests' seam: with `METALINT_TEST_PAUSE_BEFORE_RENAME=FLAG`, the first replacement stops
  /// before its rename, writes the temporary file's path to FLAG, and waits (up to 30 s) until FLAG is
  /// removed, so that a test can kill the process there or change a file under it.
  static func testPause(_ temp: String) {
    guard let flag = ProcessInfo.processInfo.environment["METALINT_TEST_PAUSE_BEFORE_RENAME"], !paused else { return }
    paused = true
    _ = FileManager.default.createFile(atPath: flag, contents: Data(temp.utf8))
    for _ in 0..<3000 where FileManager.default.fileExists(atPath: flag) { usleep(10_000) }
  }

  /// `fix` writes from one thread.
  nonisolated(unsafe) static var paused = false
}

