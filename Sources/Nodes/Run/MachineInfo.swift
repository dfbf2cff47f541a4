import CFFTW
import CFFmpeg
import CLookKernels
import COpenBLAS
import CSndfile
import Foundation

/// The machine and library versions a run used, for run.json (never part of any key).
enum MachineInfo {
    static func current() -> [String: String] {
        var u = utsname()
        uname(&u)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        let openblasCore = OpenBLASCore.inUse
        return [
            "os": "\(field(u.sysname)) \(field(u.release))",
            "arch": field(u.machine),
            "cores": String(ProcessInfo.processInfo.activeProcessorCount),
            "libavcodec": String(cString: av_version_info()),
            "libsndfile": String(cString: sf_version_string()),
            "fftw": String(cString: cfftw_version()),
            "openblas": String(cString: openblas_get_config()),
            "openblas_core": openblasCore.core,
            "openblas_core_chosen_by": openblasCore.chosenBy,
            "look_kernels": String(cString: look_kernels_path_name(look_kernels_path())),
        ]
    }
}
