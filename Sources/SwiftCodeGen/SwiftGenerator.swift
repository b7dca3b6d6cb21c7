import ModelDSL

/// Generates Swift source from a checked program: one file per `.mdl` file plus `Prelude.swift`.
///
/// - configs and contexts become structs with defaults; layers `final class`es conforming to `ModelLayer`,
///   built by `init(<parameters>, context: BuildContext)` that loads weights by field path;
/// - each method becomes a throwing Swift method with the same parameters as labels (lowerCamelCase), a
///   context parameter without a default stays non-optional, so Swift refuses a call that drops it;
/// - a union field is `any ModelLayer` (optional when `nil` is an alternative); calls into it dispatch on
///   the alternatives the checker allowed, with the argument binding of each;
/// - externs of the prelude call `Primitives` (the same kernels as the interpreter, so results are
///   bit-identical); other externs become stubs in `Externs` that throw.
///
/// Output is deterministic (declaration order) and formatted with two-space indentation.
public struct SwiftGenerator {
  /// Constructs with no Swift form, every one of the program (not only of its first file), rendered as
  /// `check` renders findings.
  public struct Failure: Error, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public let description: String
  }

  let program: Program
  let names: NameTable
  var out = ""
  var indent = 0
  /// Swift names of the locals of the method or initializer being generated.
  var localNames: [ObjectIdentifier: String] = [:]
  var usedLocalNames: Set<String> = []
  var currentLayer: LayerDecl?
  var currentMethod: FuncDecl?
  /// In an initializer: the Swift expression of the context a constructor call builds in.
  var constructContext: String?
  var inInitializer = false
  var tempCounter = 0
  var failures: [Diagnostic] = []

  public init(program: Program) {
    self.program = program
    self.names = program.names
  }

  /// Generated files by name (`Prelude.swift`, `qwen3_moe.swift`, …). Throws when a construct cannot be
  /// expressed in Swift.
  public static func generate(_ program: Program) throws -> [(name: String, source: String)] {
    // Expressions are generated recursively; a flat 10,000-term chain nests that deep on its left.
    try withLargeStack(stackSize: 512 << 20) { Result { try generateOnThisThread(program) } }.get()
  }

  static func generateOnThisThread(_ program: Program) throws -> [(name: String, source: String)] {
    var files: [(String, String)] = []
    var failures: [Diagnostic] = []
    for unit in program.units {
      var g = SwiftGenerator(program: program)
      let source = g.file(unit)
      // One report per construct, however often it is generated.
      for f in g.failures where !failures.contains(where: { $0.range == f.range && $0.message == f.message }) {
        failures.append(f)
      }
      files.append((unit.isPrelude ? "Prelude.swift" : baseName(unit.file.path) + ".swift", source))
    }
    if !failures.isEmpty {
      let renderer = DiagnosticRenderer()
      let n = failures.count
      let text = failures.map { renderer.render($0, in: program.sources) }.joined()
        + "\(n) construct\(n == 1 ? "" : "s") cannot be compiled; nothing was written"
      throw Failure(diagnostics: failures, description: text)
    }
    return files
  }

  static func baseName(_ path: String) -> String {
    var name = String(path.split(separator: "/").last ?? Substring(path))
    if name.hasSuffix(".mdl") { name.removeLast(4) }
    return name
  }

  /// Marks a throwing call inside generated code. Swift wants one `try` covering a whole expression (inside
  /// `&&` autoclosures a nested `try` does not count), so calls are marked and `finish` puts a single `try`
  /// in front of each statement, initializer, and closure body that contains a mark.
  static let T = "⟪T⟫"

  func finish(_ code: String) -> String {
    code.contains(SwiftGenerator.T) ? "try " + code.replacing(SwiftGenerator.T, with: "") : code
  }

  mutating func line(_ s: String = "") {
    if s.isEmpty {
      out += "\n"
    } else {
      out += String(repeating: "  ", count: indent) + s + "\n"
    }
  }

  func str(_ n: Name) -> String { names.string(n) }

  mutating func fail(_ message: String, at r: SourceRange, hint: String? = nil) {
    let notes = [Note(hint ?? "'check' accepts this, but the Swift generator has no form for it")]
    failures.append(Diagnostic(.error, rule: "compile", at: r, "cannot compile: \(message)", notes: notes))
  }

  // MARK: - Names and types

  /// The Swift name of a top-level type: a prelude declaration the program shadows gets a `Prelude` prefix.
  func typeName(_ n: Name, declaredAt r: SourceRange) -> String {
    let s = str(n)
    if program.isPrelude(r) && program.globals[n] != nil { return "Prelude" + s }
    return s
  }

  func typeName(_ l: LayerDecl) -> String { typeName(l.name, declaredAt: l.nameRange) }
  func typeName(_ r: RecordDecl) -> String { typeName(r.name, declaredAt: r.nameRange) }

  /// The Swift type of a checked type.
  mutating func swiftType(_ t: Ty, at r: SourceRange) -> String {
    switch t {
    case .int: return "Int"
    case .float: return "Double"
    case .bool: return "Bool"
    case .string: return "String"
    case .tensor: return "TensorRef"
    case .void: return "Void"
    case .nilType: return "Never?"
    case .rangeType: return "Range<Int>"
    case .error:
      fail("a value of unknown type", at: r)
      return "Never"
    case .record(let d): return typeName(d)
    case .layer(let d): return typeName(d)
    case .list(let e): return "[\(swiftType(e, at: r))]"
    case .union(let alts):
      let rest = alts.filter { $0 != .nilType }
      let optional = rest.count < alts.count
      let base: String
      if rest.count == 1 {
        base = swiftType(rest[0], at: r)
      } else if rest.allSatisfy({ if case .layer = $0 { return true }; return false }) {
        base = "(any ModelLayer)"
      } else {
        fail("a value that is one of '\(t.describe(names))' has no Swift type", at: r)
        base = "Never"
      }
      return optional ? base + "?" : base
    }
  }

  // MARK: - Files

  mutating func file(_ unit: SourceUnit) -> String {
    line("// Generated by metalint compile from \(unit.isPrelude ? "the ModelDSL prelude" : unit.file.path). Do not edit.")
    line()
    line("import Reference")
    if unit.isPrelude {
      line()
      line("/// The models of the compiled program, one builder each.")
      line("public enum Models {}")
      line()
      line("/// The program's own `extern func`s; the executor implements only the prelude's.")
      line("public enum Externs {}")
    }
    for d in unit.decls {
      switch d {
      case .record(let r):
        line()
        record(r)
      case .layer(let l):
        line()
        layer(l)
      case .extern(let f):
        if unit.isPrelude { continue }
        line()
        externStub(f)
      case .model(let m):
        line()
        model(m)
      }
    }
    return out
  }

  mutating func record(_ r: RecordDecl) {
    let name = typeName(r)
    line("/// \(r.isContext ? "Context" : "Config") `\(str(r.name))`.")
    line("public struct \(name): Sendable {")
    indent += 1
    var params: [String] = []
    for f in r.fields {
      let t = swiftType(resolve(f.type), at: f.range)
      line("public var \(SwiftNames.member(str(f.name))): \(t)")
      var p = "\(SwiftNames.member(str(f.name))): \(t)"
      if let d = f.defaultValue { p += " = " + finish(globalExpr(d, as: resolve(f.type))) }
      params.append(p)
    }
    line()
    line("public init(\(params.joined(separator: ", "))) {")
    indent += 1
    for f in r.fields {
      let n = SwiftNames.member(str(f.name))
      line("self.\(n) = \(n)")
    }
    indent -= 1
    line("}")
    indent -= 1
    line("}")
  }

  /// The type a `TypeRef` resolved to, as the checker recorded it on the declaration's users.
  func resolve(_ t: TypeRef) -> Ty {
    switch t {
    case .named(let n, let r):
      switch str(n) {
      case "Int": return .int
      case "Float": return .float
      case "Bool": return .bool
      case "String": return .string
      case "Tensor": return .tensor
      default: break
      }
      let d = program.isPrelude(r) ? program.preludeGlobals[n] : (program.globals[n] ?? program.preludeGlobals[n])
      switch d {
      case .record(let x): return .record(x)
      case .layer(let x): return .layer(x)
      default: return .error
      }
    case .list(let inner, _): return .list(resolve(inner))
    case .optional(let inner, _): return .optional(resolve(inner))
    case .error: return .error
    }
  }

  mutating func externStub(_ f: FuncDecl) {
    let params = f.params.enumerated().map { i, p in
      "\(SwiftNames.member(str(p.name))): \(swiftType(f.paramTypes[i], at: p.range))"
    }
    let result = f.resultType == .void ? "" : " -> \(swiftType(f.resultType, at: f.range))"
    line("extension Externs {")
    indent += 1
    line("/// `extern func \(str(f.name))`: not implemented by the executor.")
    line("public static func \(SwiftNames.member(str(f.name)))(\(params.joined(separator: ", "))) throws\(result) {")
    indent += 1
    line("throw PrimitiveError(\"extern '\(str(f.name))' has no implementation in the executor\")")
    indent -= 1
    line("}")
    indent -= 1
    line("}")
  }

  mutating func model(_ m: ModelDecl) {
    guard case .layer(let l) = m.value.type else { return }
    line("extension Models {")
    indent += 1
    line("/// `model \(str(m.name))`.")
    line("public static func \(SwiftNames.member(str(m.name)))(context: BuildContext) throws -> \(typeName(l)) {")
    indent += 1
    inInitializer = true
    constructContext = "context"
    localNames = [:]
    line("return " + finish(expr(m.value, as: m.value.type)))
    inInitializer = false
    constructContext = nil
    indent -= 1
    line("}")
    indent -= 1
    line("}")
  }
}
