# Two commands for a fresh machine: `make run` renders the demo album, `make test` runs the tests.
SWIFT ?= swift
APT_PACKAGES = pkg-config libsndfile1-dev libfftw3-dev libopenblas-dev libxxhash-dev \
	libavcodec-dev libavformat-dev libswscale-dev libswresample-dev libavutil-dev ffmpeg \
	chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build run test bench clean

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

# Unit and end-to-end tests; the end-to-end tests drive the release binary.
test: build
	$(SWIFT) build --build-tests
	NTSBUILD_BIN=$(CURDIR)/.build/release/ntsbuild $(SWIFT) test --skip-build

clean:
	rm -rf .build cache renders
