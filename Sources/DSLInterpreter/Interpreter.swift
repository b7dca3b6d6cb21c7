import Reference
import Foundation
import ModelDSL

/// Runs a checked ModelDSL program: builds a `model`'s layer tree (loading or initialising weights by their
/// field paths) and evaluates methods, with the call bindings the checker computed. Externs go to
/// `Builtins`. Every failure is a `RuntimeError` naming the program location and the layer.
public final class Interpreter: @unchecked Sendable {
  public let program: Program
  let weights: WeightSource
  /// Worker threads for the kernels.
  public var threads: Int
  /// Experts that received at least one token, over the whole run (by MoE layer path).
  public internal(set) var expertsHit: [String: Set<Int>] = [:]
  /// The expert count of each MoE layer that ran, by path.
  public internal(set) var expertTotals: [String: Int] = [:]
  var builtins: Builtins!

  /// Weight-name prefix of the layer being built, and of the field being initialised.
  var instanceStack: [LayerInstance] = []
  var constructPath: [String] = []
  var depth = 0
  static let maxDepth = 2_000

  public init(program: Program, weights: WeightSource, threads: Int = 2) {
    self.program = program
    self.weights = weights
    self.threads = threads
    self.builtins = Builtins(interpreter: self)
  }

  func error(_ message: String, at range: SourceRange?) -> RuntimeError {
    var text = ""
    if let range {
      let l = program.sources.location(range)
      text = "\(l.path):\(l.line):\(l.column): error: "
    } else {
      text = "error: "
    }
    var layer = ""
    if let inst = instanceStack.last { layer = " (in layer '\(program.names.string(inst.decl.name))'" + (inst.path.isEmpty ? ")" : " at '\(inst.path)')") }
    let snippet = range.map { " in '\(program.sources.file($0).text($0.byteRange).prefix(80))'" } ?? ""
    text += message + snippet + layer
    return RuntimeError(message: message, range: range, rendered: text)
  }

  // MARK: - Building

  /// Builds the model named `name` (or the only one).
  public func build(model name: String?) throws -> LayerInstance {
    let models = program.models.filter { !program.isPrelude($0.nameRange) }
    let chosen: ModelDecl
    if let name {
      guard let m = models.first(where: { program.names.string($0.name) == name }) else {
        let known = models.map { program.names.string($0.name) }.joined(separator: ", ")
        throw RuntimeError(message: "no model named '\(name)'", range: nil,
                           rendered: "error: no model named '\(name)' (the program has: \(known.isEmpty ? "none" : known))")
      }
      chosen = m
    } else {
      guard !models.isEmpty else {
        throw RuntimeError(message: "no model", range: nil, rendered: "error: the program declares no 'model'")
      }
      // Several models and no --model: the first declared one runs (the summary names it).
      chosen = models[0]
    }
    constructPath = [weights.prefix]
    let value = try eval(chosen.value, Frame(instance: nil))
    guard case .layer(let root) = value else {
      throw error("model '\(program.names.string(chosen.name))' does not build a layer", at: chosen.value.range)
    }
    return root
  }

  func joinPath(_ a: String, _ b: String) -> String {
    if a.isEmpty { return b }
    if a.hasSuffix(".") { return a + b }
    return a + "." + b
  }

  /// Builds a layer: parameters from the bound arguments, then fields in order.
  func construct(_ decl: LayerDecl, args: [Name: Value], at range: SourceRange) throws -> LayerInstance {
    let path = constructPath.last ?? ""
    let inst = LayerInstance(decl: decl, path: path.hasSuffix(".") ? String(path.dropLast()) : path)
    inst.params = args
    for (n, v) in args { inst.bySpelling[program.names.string(n)] = v }
    instanceStack.append(inst)
    defer { instanceStack.removeLast() }
    depth += 1
    defer { depth -= 1 }
    guard depth < Interpreter.maxDepth else { throw error("layers nest too deeply while building", at: range) }
    let frame = Frame(instance: inst)
    for f in decl.fields {
      constructPath.append(joinPath(path, program.names.string(f.name)))
      defer { constructPath.removeLast() }
      let v = try eval(f.value, frame)
      inst.fields[f.name] = v
      inst.bySpelling[program.names.string(f.name)] = v
    }
    return inst
  }

  // MARK: - Calling

  /// Calls `method` of `instance` with bound arguments.
  func call(_ method: FuncDecl, on instance: LayerInstance, args: [Value], at range: SourceRange) throws -> Value {
    depth += 1
    defer { depth -= 1 }
    guard depth < Interpreter.maxDepth else { throw error("call depth exceeded (recursion?)", at: range) }
    instanceStack.append(instance)
    defer { instanceStack.removeLast() }
    let frame = Frame(instance: instance)
    for (i, p) in method.params.enumerated() { frame.define(p.name, args[i]) }
    guard let body = method.body else { return .none }
    if case .returned(let v) = try exec(body, frame) { return v }
    return .none
  }

  /// Runs `forward` (or `method`) of a built layer from outside the program.
  public func invoke(_ instance: LayerInstance, method name: String = "forward", arguments: [Value]) throws -> Value {
    guard let m = instance.decl.methodsByName[program.names.intern(name)] else {
      throw error("layer '\(program.names.string(instance.decl.name))' has no method '\(name)'", at: instance.decl.nameRange)
    }
    return try call(m, on: instance, args: arguments, at: m.nameRange)
  }

  /// Arguments of a call bound to `target`'s parameters; unfilled ones take their default.
  func bindArguments(_ target: CallTarget, _ values: [Value], defaults: [Expr?]) throws -> [Value] {
    var out: [Value] = []
    for (pi, ai) in target.binding.enumerated() {
      if let ai {
        out.append(values[ai])
      } else if pi < defaults.count, let d = defaults[pi] {
        out.append(try eval(d, Frame(instance: nil)))
      } else {
        out.append(.none)
      }
    }
    return out
  }

  func defaults(_ params: [Param]) -> [Expr?] { params.map { $0.defaultValue } }
}

/// Locals of one method call or field initializer, with block scopes.
final class Frame {
  let instance: LayerInstance?
  var scopes: [[Name: Value]] = [[:]]

  init(instance: LayerInstance?) { self.instance = instance }

  func define(_ n: Name, _ v: Value) { scopes[scopes.count - 1][n] = v }

  func lookup(_ n: Name) -> Value? {
    for s in scopes.reversed() { if let v = s[n] { return v } }
    return nil
  }

  func assign(_ n: Name, _ v: Value) {
    for i in stride(from: scopes.count - 1, through: 0, by: -1) where scopes[i][n] != nil {
      scopes[i][n] = v
      return
    }
    define(n, v)
  }
}
