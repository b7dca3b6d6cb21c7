/// Small ModelDSL programs the end-to-end tests write into temporary directories.
enum Programs {
  /// No finding.
  static let clean = """
    context M {
      a: Int = 1
    }
    extern func use_m(x: Tensor, m: M) -> Tensor
    layer L(h: Int) {
      func forward(x: Tensor, m: M) -> Tensor {
        return use_m(x, m)
      }
    }

    """

  /// One `dropped-context` error on line 7, column 12.
  static let dropped = """
    context M {
      a: Int = 1
    }
    extern func use_m(x: Tensor, m: M) -> Tensor
    layer L(h: Int) {
      func forward(x: Tensor, m: M) -> Tensor {
        return use_m(x)
      }
    }

    """

  /// One `argument-order` warning (line 7, column 23) and nothing else.
  static let warningOnly = """
    context M {
      a: Int = 1
    }
    extern func k(x: Tensor, n: Int = 2, m: M? = nil) -> Tensor
    layer L(h: Int) {
      func forward(x: Tensor, m: M) -> Tensor {
        return k(x, m: m, n: 3)
      }
    }

    """

  /// A `dropped-context` error (line 9) and an `argument-order` warning (line 8): errors come first in GitHub
  /// annotations although the warning is earlier in the file.
  static let warningThenError = """
    context M {
      a: Int = 1
    }
    extern func k(x: Tensor, n: Int = 2, m: M? = nil) -> Tensor
    extern func use_m(x: Tensor, m: M) -> Tensor
    layer L(h: Int) {
      func forward(x: Tensor, m: M) -> Tensor {
        let a = k(x, m: m, n: 3)
        return a + use_m(x)
      }
    }

    """
}
