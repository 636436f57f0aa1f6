from primenews.cli import main

main()
