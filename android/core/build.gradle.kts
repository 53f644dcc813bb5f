// :core — the app's Kotlin API over the generated uniffi bindings. The UI
// depends on this module only. Generated sources and native libraries come
// from bindings/scripts (generate.sh, build-android.sh) into build/generated.
plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

android {
    namespace = "cn.zhifa.core"
    compileSdk = 35
    defaultConfig { minSdk = 26 }
    sourceSets["main"].java.srcDir("${rootDir}/../target/bindings/kotlin")
    sourceSets["main"].jniLibs.srcDir("${rootDir}/../target/android/jniLibs")
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    testOptions { unitTests.all { it.useJUnitPlatform() } }
}

kotlin { jvmToolchain(17) }

dependencies {
    implementation("${libs.jna.get()}@aar")
    implementation(libs.kotlinx.coroutines.android)
    testImplementation(libs.jna)
    testImplementation(libs.junit.jupiter)
    testImplementation(libs.kotlin.test)
}

// JVM unit tests load the host-built library (cargo build -p zhifa-ffi).
tasks.withType<Test>().configureEach {
    systemProperty("jna.library.path", "${rootDir}/../target/debug")
}
