// swift-tools-version:5.10
import PackageDescription

// Linux on x86-64 only: the C kernels have SSE2/AVX2/AVX-512 paths and no other (CLookKernels stops the
// build elsewhere), and the system libraries come from Debian packages. So no `platforms:`.
let package = Package(
    name: "ntsbuild",
    products: [
        .executable(name: "ntsbuild", targets: ["ntsbuild"]),
        // For the libFuzzer package in Tests/Fuzz (`make fuzz`).
        .library(name: "FuzzTargets", targets: ["FuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // System libraries, found through pkg-config.
        .systemLibrary(name: "CXXHash", pkgConfig: "libxxhash", providers: [.apt(["libxxhash-dev"])]),
        .systemLibrary(name: "CSndfile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // FFmpeg: a small C target, because its function-like macros (AVERROR, ...) do not import.
        .target(
            name: "CFFmpeg",
            linkerSettings: [
                .linkedLibrary("avformat"), .linkedLibrary("avcodec"), .linkedLibrary("swscale"),
                .linkedLibrary("swresample"), .linkedLibrary("avutil"),
            ]
        ),

        // The CPPN's kernels and the post-effects row, SSE2, AVX2 and AVX-512 chosen at run time
        // (same bits on each). Optimised in debug builds too, as in release: the post-effects' paths
        // differ only once the compiler vectorises them, and the tests must see the paths that ship.
        .target(name: "CLookKernels", dependencies: ["CCPUFeatures"], cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        // The CPU's vector features: the kernels' path and OpenBLAS's core are chosen from them.
        .target(name: "CCPUFeatures"),
        // The HPSS median filters' min/max programs, SSE2 and AVX2 chosen at run time (same bits).
        .target(name: "CFeatureKernels"),

        // Domain-free build engine.
        .target(name: "Graph", dependencies: ["CXXHash", .product(name: "HeapModule", package: "swift-collections")]),
        // The album domain: config, audio, features, controller, generator, encoder, album.
        .target(
            name: "Nodes",
            dependencies: [
                "Graph", "CSndfile", "CFFTW", "COpenBLAS", "CFFmpeg", "CLookKernels", "CFeatureKernels", "CCPUFeatures",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The command line only.
        .executableTarget(
            name: "ntsbuild",
            dependencies: ["Graph", "Nodes", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // Feature-extraction timing against librosa (scripts/bench_features.sh); not shipped.
        .executableTarget(name: "Benchmarks", dependencies: ["Nodes"], path: "Benchmarks/FeaturesBench"),
        // Style fitting against random seeds over reference images (BENCHMARKS.md, Styles); not shipped.
        .executableTarget(name: "StyleBench", dependencies: ["Nodes"], path: "Benchmarks/StyleBench"),
        // `ntsbench graph|encode|look|conv|finish|…`: engine overhead, encoding vs the ffmpeg CLI, the
        // CPPN kernel vs OpenBLAS sgemm, the track node's stages (BENCHMARKS.md); not shipped.
        .executableTarget(
            name: "ntsbench",
            dependencies: ["Graph", "Nodes", "COpenBLAS", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/NTSBench"
        ),

        // The readers of hostile input, one entry point each: driven by libFuzzer (`make fuzz`) and
        // by the seeded replay in NodesTests.
        .target(name: "FuzzTargets", dependencies: ["Nodes"]),

        .testTarget(name: "GraphTests", dependencies: ["Graph"]),
        .testTarget(name: "NodesTests", dependencies: ["Nodes", "Graph", "FuzzTargets"]),
        .testTarget(name: "CLITests", dependencies: ["Nodes"]),
    ]
)
