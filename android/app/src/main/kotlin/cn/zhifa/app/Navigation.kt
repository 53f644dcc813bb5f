package cn.zhifa.app

import android.net.Uri
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.navigation.NavBackStackEntry
import androidx.navigation.NavHostController
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.rememberNavController
import cn.zhifa.app.capture.CaptureScreen
import cn.zhifa.app.casedetail.CaseScreen
import cn.zhifa.app.cases.CaseListScreen
import cn.zhifa.app.credential.CredentialScreen
import cn.zhifa.app.login.LoginScreen
import cn.zhifa.app.newcase.NewCaseScreen
import cn.zhifa.app.record.RecordEditorScreen
import cn.zhifa.app.rights.RightsScreen
import cn.zhifa.app.signature.SignScreen
import cn.zhifa.app.sync.SyncScreen
import cn.zhifa.core.FieldApp
import cn.zhifa.core.Reference

/** Route patterns and builders. Ids are URI-encoded into the path. */
object Routes {
    const val LOGIN = "login"
    const val CASES = "cases"
    const val NEW_CASE = "new-case"
    const val SYNC = "sync"
    const val CASE = "case/{caseId}"
    const val RECORD = "record/{caseId}/{recordId}"
    const val CREDENTIAL = "credential/{caseId}"
    const val RIGHTS = "rights/{caseId}"
    const val CAPTURE = "capture/{caseId}/{recordId}"
    const val SIGN = "sign/{caseId}/{recordId}"

    fun case(caseId: String) = "case/${Uri.encode(caseId)}"
    fun record(caseId: String, recordId: String) = "record/${Uri.encode(caseId)}/${Uri.encode(recordId)}"
    fun credential(caseId: String) = "credential/${Uri.encode(caseId)}"
    fun rights(caseId: String) = "rights/${Uri.encode(caseId)}"
    fun capture(caseId: String, recordId: String) = "capture/${Uri.encode(caseId)}/${Uri.encode(recordId)}"
    fun sign(caseId: String, recordId: String) = "sign/${Uri.encode(caseId)}/${Uri.encode(recordId)}"
}

private fun NavBackStackEntry.arg(name: String): String = requireNotNull(arguments?.getString(name))

/** Clears the back stack and shows the login screen. */
private fun NavHostController.toLogin() = navigate(Routes.LOGIN) { popUpTo(0) { inclusive = true } }

@Composable
fun ZhifaNavHost(app: FieldApp, reference: Reference) {
    // The first screen depends on whether someone is logged in.
    var start by remember { mutableStateOf<String?>(null) }
    LaunchedEffect(Unit) {
        start = if (runCatching { app.currentOfficer() }.getOrNull() == null) Routes.LOGIN else Routes.CASES
    }
    val startRoute = start
    if (startRoute == null) {
        Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
        return
    }

    val nav = rememberNavController()
    NavHost(navController = nav, startDestination = startRoute) {
        composable(Routes.LOGIN) {
            LoginScreen(app = app, onLoggedIn = {
                nav.navigate(Routes.CASES) { popUpTo(Routes.LOGIN) { inclusive = true } }
            })
        }
        composable(Routes.CASES) {
            CaseListScreen(
                app = app,
                onOpenCase = { nav.navigate(Routes.case(it)) },
                onNewCase = { nav.navigate(Routes.NEW_CASE) },
                onSyncStatus = { nav.navigate(Routes.SYNC) },
                onLoggedOut = { nav.toLogin() },
            )
        }
        composable(Routes.NEW_CASE) {
            NewCaseScreen(
                app = app,
                reference = reference,
                onBack = { nav.popBackStack() },
                onCreated = { caseId, recordId ->
                    nav.navigate(Routes.case(caseId)) { popUpTo(Routes.CASES) }
                    if (recordId != null) nav.navigate(Routes.record(caseId, recordId))
                },
            )
        }
        composable(Routes.SYNC) {
            SyncScreen(app = app, onBack = { nav.popBackStack() }, onLogin = { nav.toLogin() })
        }
        composable(Routes.CASE) { entry ->
            val caseId = entry.arg("caseId")
            CaseScreen(
                app = app,
                reference = reference,
                caseId = caseId,
                onBack = { nav.popBackStack() },
                onOpenRecord = { nav.navigate(Routes.record(caseId, it)) },
                onCredential = { nav.navigate(Routes.credential(caseId)) },
                onRights = { nav.navigate(Routes.rights(caseId)) },
            )
        }
        composable(Routes.RECORD) { entry ->
            val caseId = entry.arg("caseId")
            RecordEditorScreen(
                app = app,
                caseId = caseId,
                recordId = entry.arg("recordId"),
                onBack = { nav.popBackStack() },
                onCapture = { nav.navigate(Routes.capture(caseId, it)) },
                onSign = { nav.navigate(Routes.sign(caseId, it)) },
                onAmended = { newId ->
                    nav.navigate(Routes.record(caseId, newId)) { popUpTo(Routes.CASE) }
                },
            )
        }
        composable(Routes.CREDENTIAL) { entry ->
            CredentialScreen(app = app, caseId = entry.arg("caseId"), onBack = { nav.popBackStack() })
        }
        composable(Routes.RIGHTS) { entry ->
            RightsScreen(app = app, caseId = entry.arg("caseId"), onBack = { nav.popBackStack() })
        }
        composable(Routes.CAPTURE) { entry ->
            CaptureScreen(
                app = app,
                caseId = entry.arg("caseId"),
                recordId = entry.arg("recordId"),
                onBack = { nav.popBackStack() },
            )
        }
        composable(Routes.SIGN) { entry ->
            SignScreen(
                app = app,
                caseId = entry.arg("caseId"),
                recordId = entry.arg("recordId"),
                onBack = { nav.popBackStack() },
            )
        }
    }
}
