from dagsorden.cli import main

main()
