// The "safe os" library Argo CD gives Lua scripts (util/lua/oslib_safe.go):
// only os.time and os.date, loadable as the global `os` and with
// require("os"). Behaviour follows Argo CD's, quirks included: %a prints the
// literal "mon", a timestamp argument to os.date drops the "!" (UTC) prefix,
// os.date("*t") reports yday 0 and isdst false.
package engine

import (
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
)

var safeOsFuncs = map[string]lua.LGFunction{
	"time": safeOsTime,
	"date": safeOsDate,
}

func openSafeOs(l *lua.LState) int {
	l.Push(l.RegisterModule(lua.OsLibName, safeOsFuncs))
	return 1
}

func loadSafeOs(l *lua.LState) int {
	l.Push(l.SetFuncs(l.NewTable(), safeOsFuncs))
	return 1
}

func safeOsTime(l *lua.LState) int {
	if l.GetTop() == 0 {
		l.Push(lua.LNumber(time.Now().Unix()))
		return 1
	}
	tbl := l.CheckTable(1)
	t := time.Date(intField(tbl, "year", -1), time.Month(intField(tbl, "month", -1)), intField(tbl, "day", -1),
		intField(tbl, "hour", 12), intField(tbl, "min", 0), intField(tbl, "sec", 0), 0, time.Local)
	l.Push(lua.LNumber(t.Unix()))
	return 1
}

func intField(tbl *lua.LTable, key string, def int) int {
	if n, ok := tbl.RawGetString(key).(lua.LNumber); ok {
		return int(n)
	}
	return def
}

func safeOsDate(l *lua.LState) int {
	t := time.Now()
	format := "%c"
	if l.GetTop() >= 1 {
		format = l.CheckString(1)
		if strings.HasPrefix(format, "!") {
			t = time.Now().UTC()
			format = strings.TrimLeft(format, "!")
		}
		if l.GetTop() >= 2 {
			t = time.Unix(l.CheckInt64(2), 0)
		}
		if strings.HasPrefix(format, "*t") {
			ret := l.NewTable()
			ret.RawSetString("year", lua.LNumber(t.Year()))
			ret.RawSetString("month", lua.LNumber(t.Month()))
			ret.RawSetString("day", lua.LNumber(t.Day()))
			ret.RawSetString("hour", lua.LNumber(t.Hour()))
			ret.RawSetString("min", lua.LNumber(t.Minute()))
			ret.RawSetString("sec", lua.LNumber(t.Second()))
			ret.RawSetString("wday", lua.LNumber(t.Weekday()+1))
			ret.RawSetString("yday", lua.LNumber(0))
			ret.RawSetString("isdst", lua.LFalse)
			l.Push(ret)
			return 1
		}
	}
	l.Push(lua.LString(strftime(t, format)))
	return 1
}

// Go layouts for the C strftime flags Argo CD supports.
var dateFlagLayouts = map[byte]string{
	'a': "mon", 'A': "Monday", 'b': "Jan", 'B': "January", 'c': "02 Jan 06 15:04 MST", 'd': "02",
	'F': "2006-01-02", 'H': "15", 'I': "03", 'm': "01", 'M': "04", 'p': "PM", 'P': "pm", 'S': "05",
	'x': "15/04/05", 'X': "15:04:05", 'y': "06", 'Y': "2006", 'z': "-0700", 'Z': "MST",
}

// strftime: "%%" is a percent sign, a known flag formats, %w is the weekday
// number, an unknown flag is kept as written, a trailing "%" is literal.
func strftime(t time.Time, format string) string {
	out := make([]byte, 0, len(format)+16)
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i == len(format)-1 {
			out = append(out, c)
			continue
		}
		i++
		flag := format[i]
		switch layout, known := dateFlagLayouts[flag]; {
		case flag == '%':
			out = append(out, '%')
		case known:
			out = append(out, t.Format(layout)...)
		case flag == 'w':
			out = strconv.AppendInt(out, int64(t.Weekday()), 10)
		default:
			out = append(out, '%', flag)
		}
	}
	return string(out)
}
