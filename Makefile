# Two commands for a fresh machine: `make run` renders the demo album, `make test` runs the tests.
SWIFT ?= swift
APT_PACKAGES = pkg-config libsndfile1-dev libfftw3-dev libopenblas-dev libxxhash-dev \
	libavcodec-dev libavformat-dev libswscale-dev libswresample-dev libavutil-dev ffmpeg \
	chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build run test bench clean fuzz fuzz-build sanitize

# Installs the Debian packages ntsbuild links against (and ffprobe + chromium for the tests), if missing.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product ntsbuild

# Renders the demo album (Buildfile.yaml) into renders/latest/.
run: build
	.build/release/ntsbuild album

# The benchmarks BENCHMARKS.md quotes that live in `ntsbench` (graph | encode | look), in release mode.
bench: deps
	$(SWIFT) build -c release --product ntsbench
	@echo "run: .build/release/ntsbench graph | encode | look  (--help for each)"

# Unit and end-to-end tests; the end-to-end tests drive the release binary.
test: build
	$(SWIFT) build --build-tests
	NTSBUILD_BIN=$(CURDIR)/.build/release/ntsbuild $(SWIFT) test --skip-build

# libFuzzer over the readers of hostile input (Sources/FuzzTargets), FUZZ_SECONDS each, from the
# corpus in Tests/Fuzz/corpus/<target> (new inputs go to .build-fuzz/corpus, crashes to
# .build-fuzz/findings). A single allocation over FUZZ_MALLOC_MB or an input slower than
# FUZZ_TIMEOUT seconds counts as a finding. Leak checks are off: LeakSanitizer flags buffers that
# are not ntsbuild's to free (4 KB in FoundationEssentials' FileManager.contents(atPath:) now and
# then, ~6 KB in libvorbis when libsndfile rejects a damaged Ogg file). Not part of `make test`: the instrumented build takes
# ~15 minutes on 2 cores; the corpora are replayed by the unit tests (FuzzReplayTests).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= buildfile safetensors audio image
FUZZ_MALLOC_MB ?= 1024
FUZZ_TIMEOUT ?= 10
FUZZ_FLAGS = -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xcc -fsanitize=fuzzer-no-link,address

fuzz-build: deps
	$(SWIFT) build --package-path Tests/Fuzz --scratch-path .build-fuzz $(FUZZ_FLAGS)

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p .build-fuzz/corpus/$$t .build-fuzz/findings/$$t; \
		echo "fuzz-$$t: $(FUZZ_SECONDS) s"; \
		ASAN_OPTIONS=detect_leaks=0 .build-fuzz/release/fuzz-$$t .build-fuzz/corpus/$$t Tests/Fuzz/corpus/$$t \
			-max_total_time=$(FUZZ_SECONDS) -malloc_limit_mb=$(FUZZ_MALLOC_MB) -rss_limit_mb=2048 \
			-timeout=$(FUZZ_TIMEOUT) -max_len=65536 -print_final_stats=1 -detect_leaks=0 \
			-artifact_prefix=.build-fuzz/findings/$$t/ > .build-fuzz/fuzz-$$t.log 2>&1; status=$$?; \
		grep -av '^\[src/libmpg123' .build-fuzz/fuzz-$$t.log | tail -15; \
		[ $$status = 0 ] || exit $$status; \
	done

# The unit tests once under AddressSanitizer (Swift and C), then once under
# UndefinedBehaviorSanitizer (the C kernels and shims; swiftc has no -sanitize=undefined, and
# Swift's own arithmetic and bounds checks are on in debug builds). Slow (a full instrumented
# build each); not part of `make test`. The end-to-end tests need the release binary and are skipped.
sanitize: deps
	$(SWIFT) build --build-tests --scratch-path .build-sanitize/address -Xswiftc -sanitize=address -Xcc -fsanitize=address
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --skip-build --scratch-path .build-sanitize/address --skip CLITests
	$(SWIFT) build --build-tests --scratch-path .build-sanitize/undefined -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined -Xswiftc -Xclang-linker -Xswiftc -fsanitize=undefined
	UBSAN_OPTIONS=print_stacktrace=1 $(SWIFT) test --skip-build --scratch-path .build-sanitize/undefined --skip CLITests

clean:
	rm -rf .build cache renders
