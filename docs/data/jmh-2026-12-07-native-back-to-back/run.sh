F=/work/main/hip-ffm/target/fake-cuda
for r in 1 2; do for v in main branch; do
  echo "=== $v run $r $(date -u +%T)"
  /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --enable-native-access=ALL-UNNAMED -jar /tmp/bench-$v.jar NativeBackToBackBenchmark -jvmArgsAppend "-Dxsched.hip.platform=nvidia -Dxsched.cuda.library=$F/libcuda.so.1 -Dxsched.nvrtc.library=$F/libnvrtc.so.13" > /tmp/jmh-b2b/$v-$r.txt 2>&1
  grep "^NativeBack" /tmp/jmh-b2b/$v-$r.txt
done; done
