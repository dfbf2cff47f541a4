print("ntsbuild: under construction")
