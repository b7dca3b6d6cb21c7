print("metalint")
