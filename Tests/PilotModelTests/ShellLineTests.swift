import PilotModel
import XCTest

final class ShellLineTests: XCTestCase {
    func testLinesBashWouldOnlySplitRunDirectly() {
        XCTAssertEqual(ShellLine.directArguments("/bin/true"), ["/bin/true"])
        XCTAssertEqual(ShellLine.directArguments("/bin/date "), ["/bin/date"])
        XCTAssertEqual(ShellLine.directArguments("/bin/echo  hello\tworld 42 a=b"), ["/bin/echo", "hello", "world", "42", "a=b"])
        XCTAssertEqual(ShellLine.directArguments("./run.sh input.dat --n=3"), ["./run.sh", "input.dat", "--n=3"])
    }

    func testLinesThatNeedBashKeepIt() {
        for line in [
            "echo hello", "true", "cd /tmp", "/bin/echo $HOME", "/bin/echo ~", "/bin/ls *.txt", "/bin/echo 'a b'",
            "/bin/echo \"a\"", "/bin/echo a\\ b", "/bin/echo a > f", "/bin/cat < f", "/bin/true | /bin/cat", "/bin/true && x",
            "/bin/true; x", "/bin/echo `id`", "/bin/echo {a,b}", "/bin/echo a # comment", "A=1 /bin/env", "/bin/echo !x",
            "/bin/echo [ab]", "/bin/echo a?", "/bin/true\n/bin/false", "( /bin/true )", "",
        ] {
            XCTAssertNil(ShellLine.directArguments(line), line)
        }
    }
}
