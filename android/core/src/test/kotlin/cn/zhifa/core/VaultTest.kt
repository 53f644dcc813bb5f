package cn.zhifa.core

import cn.zhifa.ffi.SecretVault
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.nio.file.Path

/** A vault in memory, as the Keystore keeps secrets on the phone. */
class MemoryVault : SecretVault {
    val items = java.util.concurrent.ConcurrentHashMap<String, ByteArray>()
    override fun get(name: String): ByteArray? = items[name]
    override fun put(name: String, value: ByteArray): Boolean {
        items[name] = value
        return true
    }
    override fun delete(name: String) {
        items.remove(name)
    }
}

class VaultTest {
    private val server = System.getenv("ZHIFA_TEST_SERVER") ?: error("ZHIFA_TEST_SERVER is not set")

    @TempDir
    lateinit var tmp: Path

    private fun ByteArray.isIn(hay: ByteArray): Boolean =
        (0..hay.size - size).any { i -> indices.all { hay[i + it] == this[it] } }

    @Test
    fun `the device key and token live in the vault, not in the database`() = runBlocking {
        val vault = MemoryVault()
        val home = tmp.resolve("vaulted").toString()
        val core = ZhifaCore(home, vault)
        val me = core.login(server, "zhangwei", "demo1234", "测试设备")
        core.syncNow()
        assertEquals(setOf("device_key", "login_token"), vault.items.keys)
        val db = File(home).listFiles()!!.filter { it.name.startsWith("zhifa.db") }.map { it.readBytes() }
            .fold(ByteArray(0)) { a, b -> a + b }
        assertFalse(vault.items["device_key"]!!.isIn(db))
        assertFalse(vault.items["login_token"]!!.isIn(db))
        core.close()
        val again = ZhifaCore(home, vault)
        assertEquals(me, again.currentOfficer())
        again.logout(true)
        assertEquals(setOf("device_key"), vault.items.keys)
        again.close()
    }
}
