import CLookKernels

/// The CPPN's activation functions.
///
/// The libm `sin`/`exp` are scalar calls (~10–20 ns each) and a 640×360 frame with 32 hidden
/// units needs ~30 M of them; the frame kernel (CLookKernels) computes branch-free polynomial
/// approximations instead, 4 or 8 lanes at a time, for ~1 ns each. Being our own code, they
/// also give the same bits everywhere (no libm differences between hosts). Accuracy (~1e-6
/// absolute) is far below one 8-bit colour step. The maths is written out, scalar, in the
/// tests' `FastMath` (Tests/NodesTests/FastMath.swift), the reference the kernels match bit for bit.
public enum Activation: String, CaseIterable, Sendable {
    case sin, cos, gaussian, tanh

    /// The cycle the hidden layers use, layer i taking `cycle[i % 4]`.
    public static let cycle: [Activation] = [.sin, .cos, .gaussian, .tanh]

    /// The bias a layer's sums start from in the frame kernel: the bias itself, or for cos the
    /// bias shifted by π/2 (cos v = sin(v + π/2)), so one sine kernel serves both.
    func preBias(_ bias: [Float]) -> [Float] {
        self == .cos ? bias.map { $0 + .pi / 2 } : bias
    }

    /// The frame kernel's code for this activation (CLookKernels' LOOK_ACT_*).
    var kernelKind: Int32 {
        switch self {
        case .sin, .cos: Int32(LOOK_ACT_SIN)
        case .gaussian: Int32(LOOK_ACT_GAUSSIAN)
        case .tanh: Int32(LOOK_ACT_TANH)
        }
    }
}
