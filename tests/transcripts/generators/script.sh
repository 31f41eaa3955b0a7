# kubectl's generators: objects made from flags, printed with --dry-run=client or created.
kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --dry-run=client -o yaml
kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=3 --port=80
kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0
kubectl create deployment other
kubectl create deployment
kubectl create deployment --image=nginx
kubectl create deployment x --image=nginx --dry-run=maybe
kubectl create deployment two --image=nginx:1.25 --image=nginx:1.26 --dry-run=client -o json
kubectl create deployment two --image=nginx:1.25 --image=nginx:1.26
kubectl create deployment c --image=a --image=b --dry-run=client -o yaml -- sleep 1
kubectl create deployment dotted --image=registry.k8s.io/pause_img.v2:3.9 --dry-run=client -o yaml
sleep 30
kubectl get deploy,pods
kubectl expose deployment demoapp --port=80
kubectl get svc demoapp -o yaml
kubectl get endpoints demoapp
kubectl expose deployment demoapp --port=80
kubectl expose deployment nope --port=80
kubectl create service nodeport demoapp-np --tcp=80:80 --dry-run=client -o yaml
kubectl create service clusterip demoapp2
kubectl create service clusterip web --tcp=80:8080
kubectl get svc
kubectl run client --image=ikubernetes/admin-box:v1.2 --dry-run=client -o yaml -- sleep 3600
kubectl run web --image=nginx --port=80 --dry-run=client
kubectl run x --image=nginx -it --dry-run=client
kubectl get pods -l run
