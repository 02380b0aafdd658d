// Command etcd runs the etcd server. A wrapper module is needed because the
// etcd server module's own go.mod carries relative replace directives, which
// makes `go install go.etcd.io/etcd/server/v3@vX` fail.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
