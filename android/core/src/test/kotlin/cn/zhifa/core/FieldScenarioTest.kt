package cn.zhifa.core

import cn.zhifa.ffi.CaseFilter
import cn.zhifa.ffi.CaseKind
import cn.zhifa.ffi.CaseListUpdate
import cn.zhifa.ffi.CaseSource
import cn.zhifa.ffi.CoreException
import cn.zhifa.ffi.DeadlineState
import cn.zhifa.ffi.FieldType
import cn.zhifa.ffi.FieldValue
import cn.zhifa.ffi.GeoPoint
import cn.zhifa.ffi.NewCaseInput
import cn.zhifa.ffi.ObligationState
import cn.zhifa.ffi.OfficerInfo
import cn.zhifa.ffi.PadPoint
import cn.zhifa.ffi.PartnerEntry
import cn.zhifa.ffi.PartyEntry
import cn.zhifa.ffi.PartyKind
import cn.zhifa.ffi.Procedure
import cn.zhifa.ffi.Role
import cn.zhifa.ffi.SignaturePad
import cn.zhifa.ffi.SignerRole
import cn.zhifa.ffi.Stage
import cn.zhifa.ffi.SyncState
import cn.zhifa.ffi.UploadState
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.io.File
import java.nio.file.Path
import kotlin.test.assertFailsWith

/**
 * The field scenario through :core against a real zhifa-server
 * (ZHIFA_TEST_SERVER, started by bindings/scripts/with-server.sh): log in,
 * create an inspection, fill the record, attach a photo, capture a party
 * signature, seal, sync, and read the case back on a second device store.
 */
class FieldScenarioTest {
    private val server = System.getenv("ZHIFA_TEST_SERVER") ?: error("ZHIFA_TEST_SERVER is not set")
    private val photo = System.getenv("ZHIFA_TEST_PHOTO") ?: error("ZHIFA_TEST_PHOTO is not set")

    @TempDir
    lateinit var tmp: Path

    private suspend fun device(user: String): Pair<ZhifaCore, OfficerInfo> {
        val core = ZhifaCore(tmp.resolve(user).toString())
        val me = core.login(server, user, "demo1234", "测试设备 ($user)")
        return core to me
    }

    private fun pad(seed: Float) = SignaturePad(
        width = 480u, height = 200u,
        strokes = (0 until 2).map { s ->
            (0 until 30).map { i ->
                PadPoint(x = 20f + i * 6 + seed, y = 60f + s * 40 + (i % 5) * 4, t = (s * 900 + i * 16).toUInt(), pressure = 0.5f)
            }
        },
    )

    private val inspectionFields = mapOf<String, FieldValue>(
        "inspected_at" to FieldValue.Text("2026-03-02T09:30:00+08:00"),
        "place" to FieldValue.Text("康保县某档案馆档案库房"),
        "credentials_shown" to FieldValue.Flag(true),
        "method" to FieldValue.Text("双随机抽查"),
        "inspected_unit" to FieldValue.Text("康保县某档案馆"),
        "basis" to FieldValue.Text("《中华人民共和国档案法》第四十二条"),
        "items" to FieldValue.Choices(listOf("档案安全")),
        "findings" to FieldValue.Text("库房温湿度记录完整。"),
        "rectification" to FieldValue.Text("无"),
    )

    @Test
    fun `the field scenario reaches a second device`() = runBlocking {
        val (zhang, zhangMe) = device("zhangwei")
        val (li, liMe) = device("lina")
        assertEquals(zhangMe, zhang.currentOfficer())

        val created = zhang.newCase(
            NewCaseInput(
                kind = CaseKind.INSPECTION, procedure = null, title = "某档案馆档案安全随机抽查",
                source = CaseSource.RANDOM_INSPECTION, sourceRef = "双随机-2026-03",
                party = PartyEntry(PartyKind.LEGAL_PERSON, "康保县某档案馆", "12130723MB0000001J", "赵六", null, null),
                partners = listOf(PartnerEntry(liMe.id, liMe.name, liMe.credentialNo, liMe.unitId)),
                firstRecord = "inspection_record",
            ),
        )
        val case = created.caseId
        val rec = created.recordId ?: error("the first record was not opened")

        val card = zhang.credentialCard()
        assertEquals(zhangMe.credentialNo, card.credentialNo)
        val token = card.token ?: error("no electronic credential after login")
        assertTrue(card.qrText.endsWith("/gs/credential?t=$token"))
        assertEquals(0x89.toByte(), card.qrPng[0])
        zhang.showCredentials(case, "档案库房", GeoPoint(38.04, 114.5))

        for ((k, v) in inspectionFields) zhang.setField(case, rec, k, v)
        zhang.setField(case, rec, "officers_present", FieldValue.Choices(listOf(zhangMe.id, liMe.id)))
        zhang.clearField(case, rec, "findings")
        val form = zhang.recordForm(case, rec)
        val findings = form.fields.first { it.key == "findings" }
        assertEquals(FieldType.LONG_TEXT, findings.fieldType)
        assertEquals(listOf(findings.label), form.missingFields)
        zhang.setField(case, rec, "findings", FieldValue.Text("库房温湿度记录完整。"))

        val media = zhang.attach(case, rec, photo, null)
        assertEquals("image/jpeg", media.mime)
        assertEquals(UploadState.PENDING to "待上传", media.upload to media.uploadLabel)
        assertTrue(File(media.path!!).exists())
        assertTrue(zhang.recordForm(case, rec).missingFields.isEmpty())

        val digest = zhang.seal(case, rec)
        assertEquals(64, digest.length)
        zhang.sign(case, rec, SignerRole.OFFICER, zhangMe.id, zhangMe.name, pad(0f))
        val party = zhang.sign(case, rec, SignerRole.PARTY, "party-1", "赵六", pad(3f))
        assertEquals("当事人", party.role)
        assertEquals(SignerRole.PARTY, party.roleCode)
        assertTrue(Role.OFFICER in zhangMe.roleCodes && "执法人员" in zhangMe.roles, zhangMe.toString())
        val up = zhang.syncNow()
        assertTrue(up.errors.isEmpty(), up.toString())
        assertEquals(1u, up.exchanged)

        assertEquals(1u, li.syncNow().fetched)
        li.sign(case, rec, SignerRole.OFFICER, liMe.id, liMe.name, pad(9f))
        li.syncNow()
        zhang.syncNow()
        for (core in listOf(zhang, li)) {
            val back = core.recordForm(case, rec)
            assertTrue(back.sealed)
            assertEquals(digest, back.digest)
            assertEquals(3, back.signatures.size)
            assertEquals(2, back.signatures.count { it.roleCode == SignerRole.OFFICER })
            assertTrue(back.missingSignatures.isEmpty())
            // 亮证 on the case: the field reads with its time and place.
            val shown = back.fields.first { it.key == "credentials_shown" }.display
            assertTrue(shown.startsWith("是 (") && shown.contains("档案库房"), shown)
            assertTrue(core.verifySeals(case).isEmpty())
        }
        val view = li.case(case).first()
        assertTrue(view.parties[0].idNumber != "12130723MB0000001J", "masked")
        assertNotNull(view.receipt)
        assertTrue(li.fetchMedia(case) >= 1)
        val got = li.case(case).first().media.first { it.sha256 == media.sha256 }
        assertTrue(File(got.path!!).readBytes().contentEquals(File(photo).readBytes()))

        val rev2 = zhang.amend(case, rec, "更正检查地点")
        zhang.setField(case, rev2, "place", FieldValue.Text("档案库房二层"))
        assertFailsWith<CoreException.Sealed> { zhang.setField(case, rec, "place", FieldValue.Text("x")) }
        zhang.close()
        li.close()
    }

    @Test
    fun `a penalty case counts deadlines and its gates speak Chinese`() = runBlocking {
        val (zhang, _) = device("zhangwei")
        val c = zhang.newCase(
            NewCaseInput(
                CaseKind.PENALTY, Procedure.GENERAL, "某单位未按规定移交档案", CaseSource.COMPLAINT, "投诉-2026-015",
                PartyEntry(PartyKind.LEGAL_PERSON, "某单位", "12130723MB0000002M", "孙八", null, null), emptyList(), null,
            ),
        )
        // The badge and the stage arrive as enums: each badge state on this
        // case by the day it is looked at.
        val row = zhang.cases(CaseFilter(Stage.INITIATION, CaseKind.PENALTY, null, null, false)).first().single()
        assertEquals(c.caseId, row.id)
        assertEquals(Stage.INITIATION, row.stageCode)
        val badge = requireNotNull(row.badge) { "filing starts the decision limit" }
        assertEquals(DeadlineState.ON_TIME, badge.state)
        assertEquals(emptyList<Any>(), zhang.cases(CaseFilter(null, CaseKind.INSPECTION, null, null, false)).first())
        val due = java.time.LocalDate.parse(badge.due)
        suspend fun badgeOn(offset: Long) =
            requireNotNull(zhang.casesOn(NoFilter, due.plusDays(offset).toString()).single().badge).let { it.state to it.text }
        assertEquals(DeadlineState.DUE_SOON to "2 天后到期", badgeOn(-2))
        assertEquals(DeadlineState.DUE_TODAY to "今日到期", badgeOn(0))
        assertEquals(DeadlineState.OVERDUE to "逾期 3 天", badgeOn(3))
        assertFailsWith<CoreException.InvalidInput> { zhang.casesOn(NoFilter, "2026-13-40") }
        assertEquals(ObligationState.ON_TIME, zhang.obligations(c.caseId).first().state)
        assertEquals("调查取证", zhang.advanceStage(c.caseId))
        assertEquals(Stage.INVESTIGATION, zhang.case(c.caseId).first().stageCode)
        val e = assertFailsWith<CoreException.InvalidInput> { zhang.advanceStage(c.caseId) }
        assertTrue(e.reasonText().contains("至少需要 2 名"), e.reasonText())
        assertTrue(e.reasonText().startsWith("输入无效"), "the Chinese reason itself, not a field list")
        assertTrue(zhang.obligations(c.caseId).isNotEmpty())
        assertEquals(2017, zhang.calendarInfo().years.first())
        // 2024-09-30 + 5 working days over National Day: 10-12 is a make-up Saturday.
        assertEquals("2024-10-12", zhang.deadlineAdd("working_days", "2024-09-30", 5))
        val rec = zhang.newRecord(c.caseId, "rights_notice")
        val fields = mapOf(
            "notice_no" to FieldValue.Text("平档罚告〔2026〕1号"),
            "facts" to FieldValue.Text("未按规定向档案馆移交档案。"),
            "basis" to FieldValue.Text("《中华人民共和国档案法》第四十八条"),
            "proposed_penalty" to FieldValue.Text("警告, 罚款人民币伍仟元"),
            "proposed_fine_fen" to FieldValue.Integer(500000),
            "rights" to FieldValue.Choices(listOf("陈述", "申辩", "听证")),
            "method" to FieldValue.Text("当场告知"),
            "notified_at" to FieldValue.Text("2026-03-05T10:00:00+08:00"),
        )
        for ((k, v) in fields) zhang.setField(c.caseId, rec, k, v)
        zhang.seal(c.caseId, rec)
        zhang.refuse(c.caseId, rec, SignerRole.PARTY, "孙八", "拒绝签收", "钱七")
        val rights = Reference().rights()
        assertTrue(rights.containsAll(listOf("陈述", "申辩", "听证")), rights.toString())
        assertFailsWith<CoreException.InvalidInput> { zhang.notifyRights(c.caseId, listOf("讨价还价"), "当场告知", rec) }
        zhang.notifyRights(c.caseId, rights.filter { it in setOf("陈述", "申辩", "听证") }, "当场告知", rec)
        assertTrue(zhang.obligations(null).any { it.title.contains("听证") })
        zhang.close()
    }

    @Test
    fun `flows follow the engine until collection stops`() = runBlocking {
        val (zhang, _) = device("zhangwei")
        assertEquals(emptyList<Any>(), zhang.cases().first())
        val c = zhang.newCase(
            NewCaseInput(CaseKind.INSPECTION, null, "监听测试", CaseSource.EX_OFFICIO, null, null, emptyList(), "inspection_record"),
        )
        val rows = withTimeout(5_000) { zhang.cases().first { it.isNotEmpty() } }
        assertEquals(c.caseId, rows[0].id)
        assertEquals(SyncState.LOCAL, rows[0].syncState)
        assertEquals(1u, zhang.syncStatus().first().pendingCases)
        zhang.syncNow()
        assertEquals(0u, withTimeout(5_000) { zhang.syncStatus().first() }.pendingCases)
        assertEquals(SyncState.SYNCED, zhang.cases().first()[0].syncState)
        zhang.close()
    }

    @Test
    fun `list updates fold in the engine's order`() {
        val a = row("a")
        val b = row("b")
        val list = emptyList<cn.zhifa.ffi.CaseRow>()
            .applying(CaseListUpdate.Reset(listOf(a, b)))
            .applying(CaseListUpdate.Upsert(b.copy(title = "改")))
        assertEquals(listOf("b", "a"), list.map { it.id })
        assertEquals("改", list[0].title)
        assertEquals(listOf("b"), list.applying(CaseListUpdate.Remove("a")).map { it.id })
    }

    private fun row(id: String) = cn.zhifa.ffi.CaseRow(id, "标题$id", "", "行政检查", "程序启动", Stage.INITIATION, null, SyncState.LOCAL, "仅在本机", "")

    @Test
    fun `errors arrive as typed exceptions`() = runBlocking {
        val core = ZhifaCore(tmp.resolve("fresh").toString())
        assertNull(core.currentOfficer())
        assertFailsWith<CoreException.WrongPassword> { core.login(server, "zhangwei", "wrong", "测试") }
        assertFailsWith<CoreException.LoginRequired> { core.syncNow() }
        core.login(server, "zhangwei", "demo1234", "测试")
        assertFailsWith<CoreException.NotFound> { core.recordForm("00000000-0000-4000-8000-000000000000", "x") }
        val c = core.newCase(
            NewCaseInput(CaseKind.INSPECTION, null, "错误测试", CaseSource.EX_OFFICIO, null, null, emptyList(), "inspection_record"),
        )
        assertFailsWith<CoreException.InvalidInput> {
            core.setField(c.caseId, c.recordId!!, "findings", FieldValue.Json("not json"))
        }
        val e = assertFailsWith<CoreException.InvalidInput> { core.logout(false) }
        assertTrue(e.message!!.contains("未同步"))
        core.logout(true)
        assertNull(core.currentOfficer())
        core.close()
    }
}
