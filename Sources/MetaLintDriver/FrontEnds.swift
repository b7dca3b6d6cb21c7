import MetaLint
import ModelDSL

/// Joins the front ends to the rules: parses and checks files in their language, lowers them into the
/// checked model, and lints it. The only place that knows both sides.
public enum FrontEnds {
  /// Parses, checks and lowers ModelDSL files (with the prelude).
  public static func model(files: [(path: String, bytes: [UInt8])]) -> (CheckedModel, Program) {
    let program = Program.check(files: files)
    return (ModelLowering.lower(program), program)
  }
}

extension Linter {
  /// Parses, checks and lints files in one go.
  public static func check(files: [(path: String, bytes: [UInt8])],
                           configuration: Configuration = Configuration()) -> LintResult {
    let (model, program) = FrontEnds.model(files: files)
    return lint(model, configuration: configuration, frontEnd: program)
  }

  /// Lints an already checked ModelDSL program.
  public static func lint(_ program: Program, configuration: Configuration = Configuration()) -> LintResult {
    lint(ModelLowering.lower(program), configuration: configuration, frontEnd: program)
  }
}

extension Fixer {
  /// Fixes files, re-checking them with their front end after every round.
  public static func fix(files: Files, configuration: Configuration = Configuration(),
                         options: Options = Options()) -> Outcome {
    fix(files: files, options: options) { Linter.check(files: $0, configuration: configuration) }
  }
}

extension LintResult {
  /// The checked ModelDSL program behind the result.
  public var program: Program { frontEnd as! Program }
}
