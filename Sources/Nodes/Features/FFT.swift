import CFFTW
import Foundation

/// FFTW single-precision plans, made once per size and shared by every extraction.
///
/// FFTW's planner is not thread-safe, so plans are only ever created under `lock`. Executing a plan
/// through the new-array interface (`fftwf_execute_dft_r2c`) *is* thread-safe, so two tracks analysed
/// on two threads share one plan, each with its own SIMD-aligned buffers.
final class FFTPlans: @unchecked Sendable {
    static let shared = FFTPlans()

    private let lock = NSLock()
    private var realForward: [Int: OpaquePointer] = [:]
    private var realInverse: [Int: OpaquePointer] = [:]

    /// FFTW_ESTIMATE: no timing runs, so plans (and results) do not depend on machine load.
    private static let estimate = UInt32(1 << 6)

    func realForward(size: Int) -> OpaquePointer {
        lock.lock()
        defer { lock.unlock() }
        if let plan = realForward[size] { return plan }
        // Plan on scratch buffers from fftwf_malloc: executions use other buffers from the same
        // allocator, which guarantees the alignment the plan was made for.
        let input = fftwf_alloc_real(size)!
        let output = fftwf_alloc_complex(size / 2 + 1)!
        defer { fftwf_free(input); fftwf_free(output) }
        guard let plan = fftwf_plan_dft_r2c_1d(Int32(size), input, output, FFTPlans.estimate) else {
            fatalError("FFTW could not plan a real FFT of size \(size)")
        }
        realForward[size] = plan
        return plan
    }

    /// Complex-to-real inverse (unnormalised), for autocorrelations.
    func realInverse(size: Int) -> OpaquePointer {
        lock.lock()
        defer { lock.unlock() }
        if let plan = realInverse[size] { return plan }
        let input = fftwf_alloc_complex(size / 2 + 1)!
        let output = fftwf_alloc_real(size)!
        defer { fftwf_free(input); fftwf_free(output) }
        guard let plan = fftwf_plan_dft_c2r_1d(Int32(size), input, output, FFTPlans.estimate) else {
            fatalError("FFTW could not plan an inverse real FFT of size \(size)")
        }
        realInverse[size] = plan
        return plan
    }
}

/// A real-to-complex FFT of a fixed size with its own aligned buffers (one per extraction, not shared).
final class RealFFT {
    let size: Int
    var bins: Int { size / 2 + 1 }
    /// Fill `input[0..<size]`, then call `transform()`.
    let input: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<fftwf_complex>
    private let plan: OpaquePointer

    init(size: Int) {
        self.size = size
        plan = FFTPlans.shared.realForward(size: size)
        input = fftwf_alloc_real(size)!
        output = fftwf_alloc_complex(size / 2 + 1)!
        input.initialize(repeating: 0, count: size)
    }

    deinit {
        fftwf_free(input)
        fftwf_free(output)
    }

    func transform() {
        fftwf_execute_dft_r2c(plan, input, output)
    }
}

/// Linear (non-circular) autocorrelation of fixed-length frames through FFTW.
final class Autocorrelator {
    let length: Int
    private let size: Int
    private let forward: RealFFT
    private let inversePlan: OpaquePointer
    private let result: UnsafeMutablePointer<Float>

    init(length: Int) {
        self.length = length
        // Zero-padding to at least 2n - 1 makes the circular correlation equal the linear one.
        var size = 1
        while size < 2 * length - 1 { size *= 2 }
        self.size = max(2, size)
        forward = RealFFT(size: self.size)
        inversePlan = FFTPlans.shared.realInverse(size: self.size)
        result = fftwf_alloc_real(self.size)!
    }

    deinit { fftwf_free(result) }

    /// r[lag] = Σ x[j]·x[j+lag] for lag in 0..<length.
    func autocorrelate(_ x: UnsafeBufferPointer<Float>, into out: UnsafeMutablePointer<Float>) {
        for j in 0..<size { forward.input[j] = j < x.count ? x[j] : 0 }
        forward.transform()
        for k in 0..<forward.bins {
            let c = forward.output[k]
            forward.output[k] = (c.0 * c.0 + c.1 * c.1, 0)
        }
        fftwf_execute_dft_c2r(inversePlan, forward.output, result)
        let scale = 1 / Float(size)
        for lag in 0..<length { out[lag] = result[lag] * scale }
    }
}
