package cn.zhifa.app

import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import cn.zhifa.app.ui.ZhifaTheme

class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        val application = application as ZhifaApplication
        setContent {
            ZhifaTheme {
                ZhifaNavHost(app = application.app, reference = application.reference)
            }
        }
    }
}
