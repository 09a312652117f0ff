@echo off
rem tokendeck: runs the Tokendeck app's own binary in its headless command-line mode.
rem
rem Tokendeck.exe is a GUI program: an interactive cmd would not wait for it. A batch file
rem does, and passes its exit code on; the app attaches to this console by itself unless
rem the output is redirected. "--" keeps every argument away from Chromium's switches.
setlocal
set ELECTRON_NO_ATTACH_CONSOLE=
"%~dp0..\..\Tokendeck.exe" --tokendeck-cli -- %*
exit /b %ERRORLEVEL%
