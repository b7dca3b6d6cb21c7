import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL

/// `metalint check`: report every finding.
enum CheckCommand: Command {
  static let name = "check"
  static let abstract = "Check ModelDSL files for dropped, mis-passed and unthreaded contexts."
  static let usage = """
    metalint check [PATH…] [--format text|json|sarif|github] [--select RULES] [--ignore RULES] [--strict] \
    [--baseline FILE] [--write-baseline FILE] [--no-color]
    """
  static let discussion = """
    OPTIONS:
      --format <format>   text (the default), json, sarif (SARIF 2.1.0 for GitHub code scanning) or github
                          (workflow annotations)
      --select <rules>    comma-separated rule identifiers to run; the default is all ('metalint rules')
      --ignore <rules>    comma-separated rule identifiers not to run
      --strict            warnings fail the run too
      --write-baseline <file>  record every current finding in a baseline file and exit 0
      --baseline <file>   leave out findings the baseline records (matched on file, rule, message and line
                          text, not line number), so only new ones are reported
      --no-color          no colour even on a terminal (so does the NO_COLOR environment variable)
      -h, --help          show this help

    A PATH is a file or a directory searched recursively for *.mdl; with no PATH, the current directory.
    Settings come from the nearest .metalint.json above the first PATH, then from the options.

    EXIT STATUS: 0 no error findings (and, with --strict, no warnings); 1 findings; 2 the command could not
    do its work (bad option, unreadable path, bad configuration).
    """

  static func run(_ args: [String]) throws -> Int32 {
    let o = try Options(args, valued: ["format", "select", "ignore", "baseline", "write-baseline"],
                        flags: ["strict", "no-color", "help"])
    if o.flags.contains("help") {
      printOut(help)
      return 0
    }
    let format = try format(o)
    let config = try configuration(o)
    let timing = ProcessInfo.processInfo.environment["METALINT_TIMING"] != nil
    var clock = DispatchTime.now().uptimeNanoseconds
    func lap(_ what: String) {
      guard timing else { return }
      let now = DispatchTime.now().uptimeNanoseconds
      printError(String(format: "timing: %@ %.1f ms", what, Double(now - clock) / 1e6))
      clock = now
    }
    let files = try Inputs.collect(o.positional)
    lap("read")
    let program = Program.check(files: files)
    lap("parse+check")
    var result = Linter.lint(program, configuration: config)
    lap("lint")
    if let path = o.values["write-baseline"] {
      do {
        try Data(Baseline(result).serialized().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
      } catch {
        throw UsageError("\(path): cannot write baseline")
      }
      printOut("wrote \(result.findings.count) finding\(result.findings.count == 1 ? "" : "s") to baseline \(path)\n")
      return 0
    }
    if let path = o.values["baseline"] {
      do {
        result = try Baseline(contentsOf: path).filter(result)
      } catch let e as Baseline.FormatError {
        throw UsageError(e.description)
      }
    }
    let color = format == .text && !o.flags.contains("no-color") && useColor()
    printOut(Reporter.render(result, format: format, color: color))
    lap("report")
    // The process ends right after: tearing down the syntax trees object by object would cost a tenth of the
    // run, so the result is kept alive until exit.
    KeepAlive.shared.value = result
    return exitStatus(result, config)
  }

  static func format(_ o: Options) throws -> OutputFormat {
    guard let f = o.values["format"] else { return .text }
    guard let format = OutputFormat(rawValue: f) else {
      throw UsageError("unknown format '\(f)' (expected text, json, sarif or github)")
    }
    return format
  }

  /// The project file's settings, overridden by the command line.
  static func configuration(_ o: Options) throws -> Configuration {
    let start = o.positional.first.map { p -> String in
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue { return p }
      return (p as NSString).deletingLastPathComponent.isEmpty ? "." : (p as NSString).deletingLastPathComponent
    } ?? "."
    var config = Configuration()
    if let path = Configuration.find(from: start) {
      do {
        config = try Configuration.load(path: path)
      } catch let e as Configuration.LoadError {
        throw UsageError(e.description)
      }
    }
    if let s = o.values["select"] { config.select = Configuration.ruleList(s) }
    if let s = o.values["ignore"] { config.ignore.formUnion(Configuration.ruleList(s)) }
    if o.flags.contains("strict") { config.strict = true }
    do {
      try config.validate()
    } catch let e as Configuration.LoadError {
      throw UsageError(e.description)
    }
    return config
  }

  static func exitStatus(_ result: LintResult, _ config: Configuration) -> Int32 {
    if result.errorCount > 0 { return 1 }
    if config.strict && result.warningCount > 0 { return 1 }
    return 0
  }

  static func useColor() -> Bool {
    let env = ProcessInfo.processInfo.environment
    if env["NO_COLOR"] != nil { return false }
    if env["TERM"] == "dumb" { return false }
    return isatty(1) != 0
  }
}

/// Holds what is cheaper to let the process exit with than to free.
final class KeepAlive: @unchecked Sendable {
  static let shared = KeepAlive()
  var value: Any?
}
